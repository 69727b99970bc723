"""Every public page and feed, read in Russian and in Kazakh, holds no English
outside text marked lang="en" (content not yet translated, names kept in the
original), and no doubled full stop ("г.." where a sentence ended after a date).

The data here is translated throughout, with one untranslated initiative to show
that English content is allowed only where it is marked."""

import datetime
import re
from html.parser import HTMLParser
from xml.etree import ElementTree

import pytest

from initiatives.models import ExternalLink, InitiativeCountry, InitiativeOrganisation, InitiativeRelation
from initiatives.vocabularies import DatePrecision, InitiativeKind, LinkKind, RelationType, Role, Status

from .factories import (
    InitiativeFactory,
    MilestoneFactory,
    OrganisationFactory,
    SourceFactory,
    StatusUpdateFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db

LANGUAGES = ["ru", "kk"]
# Words of three or more Latin letters are English; these are not words of a language.
NOT_ENGLISH = {"JSON", "CSV", "API", "Atom", "OpenAPI", "URL", "ISO"}
# Citation formats and reference managers: names of their own.
NOT_ENGLISH |= {"APA", "BibTeX", "CSL-JSON", "Chicago", "Pandoc", "Zotero", "RIS", "MLA", "iframe", "SHA"}
# The data licence's own name.
NOT_ENGLISH |= {"Creative", "Commons", "Attribution", "International"}
LATIN_WORD = re.compile(r"[A-Za-z]{3,}(?:['’-][A-Za-z]+)*")
# Two full stops that are not an ellipsis, e.g. "2026 г.." or "г. ." at a sentence's end.
DOUBLED_STOP = re.compile(r"(?<!\.)\.\s*\.(?!\.)")
READ_ATTRIBUTES = {"title", "alt", "aria-label", "placeholder", "aria-description"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


# Machine values (status codes, parameters) are not language.
NOT_READ = {"script", "style", "code", "pre", "textarea", "samp"}
# Where HTML cannot mark a language: English here must be the page's own marked content.
UNMARKABLE = {"title"}


class ReaderText(HTMLParser):
    """What a reader sees or hears, outside elements marked lang="en": text, the
    attributes read aloud, and the page's description. ``unmarkable`` holds the
    text of <title> and the meta description, which cannot carry a lang of their
    own; ``marked`` the text marked lang="en"."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.english = [False]
        self.skipping = 0
        self.in_title = False
        self.pieces, self.unmarkable, self.marked = [], [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        english = self.english[-1] or attrs.get("lang") == "en"
        if not english:
            read = [value for name, value in attrs.items() if name in READ_ATTRIBUTES and value]
            # A <link>'s title (a feed's name in the browser) cannot carry a lang of its own.
            (self.unmarkable if tag == "link" else self.pieces).extend(read)
            if tag == "meta" and attrs.get("name") == "description":
                self.unmarkable.append(attrs.get("content") or "")
        if tag in NOT_READ:
            self.skipping += 1
        self.in_title = self.in_title or tag in UNMARKABLE
        if tag not in VOID:
            self.english.append(english)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.english.pop()

    def handle_endtag(self, tag):
        if tag in NOT_READ:
            self.skipping -= 1
        if tag in UNMARKABLE:
            self.in_title = False
        if tag not in VOID and len(self.english) > 1:
            self.english.pop()

    def handle_data(self, data):
        if self.skipping:
            return
        if self.english[-1]:
            self.marked.append(data)
        else:
            (self.unmarkable if self.in_title else self.pieces).append(data)


def english_words(text):
    text = re.sub(r"https?://\S+", " ", text)  # addresses are not words
    return sorted({word for word in LATIN_WORD.findall(text) if word not in NOT_ENGLISH})


def html_problems(html):
    """(English words, doubled full stops with their context) that a reader meets."""
    parser = ReaderText()
    parser.feed(html)
    text = " ".join(" ".join(parser.pieces).split())
    marked = set(english_words(" ".join(parser.marked)))
    words = english_words(text) + [word for word in english_words(" ".join(parser.unmarkable)) if word not in marked]
    everything = " ".join([text, *parser.unmarkable])
    return sorted(set(words)), re.findall(r".{0,30}(?<!\.)\.\s*\.(?!\.).{0,10}", everything)


def feed_texts(xml):
    """The feed's own texts and each entry's title; entry contents are HTML, read as a page."""
    atom = "{http://www.w3.org/2005/Atom}"
    root = ElementTree.fromstring(xml)
    texts, contents = [], []
    for element in root.iter():
        if element.tag in (f"{atom}title", f"{atom}subtitle") and element.text:
            texts.append(element.text)
        elif element.tag == f"{atom}category":
            texts.append(element.get("term", ""))
        elif element.tag in (f"{atom}summary", f"{atom}content") and element.text:
            contents.append(element.text)
    return texts, contents


def both(text, ru, kk):
    return {"": text, "_ru": ru, "_kk": kk}


def translations(field, text, ru, kk):
    return {f"{field}{suffix}": value for suffix, value in both(text, ru, kk).items()}


@pytest.fixture
def translated_site():
    return build_translated_site()


def build_translated_site():
    """Every kind of public text translated, and one initiative left in English."""
    ministry = OrganisationFactory(
        slug="ministry",
        **translations(
            "name", "Ministry of Digital Development", "Министерство цифрового развития", "Цифрлық даму министрлігі"
        ),
        **translations("description", "The ministry.", "Министерство.", "Министрлік."),
    )
    theme = ThemeFactory(
        slug="ai",
        **translations("name", "Artificial intelligence", "Искусственный интеллект", "Жасанды интеллект"),
        **translations("description", "AI policy.", "Политика в области ИИ.", "ЖИ саясаты."),
    )
    source = SourceFactory(
        published_on=datetime.date(2026, 1, 12),
        publisher="Times Tengri",
        **translations("title", "Address to the nation", "Послание народу", "Халыққа Жолдау"),
        **translations("notes", "Supports the plan.", "Подтверждает план.", "Жоспарды растайды."),
    )
    program = InitiativeFactory(
        slug="supercomputer",
        **translations("title", "Supercomputer", "Суперкомпьютер", "Суперкомпьютер"),
        **translations("summary", "A national computer.", "Национальный компьютер.", "Ұлттық компьютер."),
        **translations("description", "It computes.", "Он вычисляет.", "Ол есептейді."),
        **translations("instrument", "Decree", "Постановление", "Қаулы"),
        responsible_body=ministry,
        period_start=datetime.date(2025, 1, 1),
        period_start_precision=DatePrecision.YEAR,
    )
    program.themes.add(theme)
    program.sources.add(source)
    InitiativeOrganisation.objects.create(initiative=program, organisation=ministry, role=Role.LEAD)
    InitiativeCountry.objects.create(initiative=program, country="KZ")
    InitiativeCountry.objects.create(initiative=program, country="CN")
    ExternalLink.objects.create(
        initiative=program, kind=LinkKind.OFFICIAL_SITE, label="Alem", url="https://example.org"
    )
    proposal = InitiativeFactory(
        slug="proposal",
        kind=InitiativeKind.PROPOSAL,
        proposed_on=datetime.date(2025, 9, 8),
        proposer="Gulnar Shaimergenova",
        venue="Astana International Forum",
        **translations("title", "Digital belt", "Цифровой пояс", "Цифрлық белдеу"),
        **translations("summary", "A proposal.", "Предложение.", "Ұсыныс."),
    )
    InitiativeRelation.objects.create(
        from_initiative=program,
        to_initiative=proposal,
        relation_type=RelationType.RELATED_TO,
        **translations("note", "Same goal.", "Та же цель.", "Мақсаты бірдей."),
    )
    # Dates at the end of a sentence, at each precision ("... 12 января 2026 г.").
    for day, precision, progress in [
        (datetime.date(2026, 1, 12), DatePrecision.DAY, None),
        (datetime.date(2025, 6, 1), DatePrecision.MONTH, None),
        (datetime.date(2025, 1, 1), DatePrecision.YEAR, 40),
    ]:
        update = StatusUpdateFactory(
            initiative=program,
            reported_on=day,
            reported_on_precision=precision,
            status=Status.IN_PROGRESS,
            progress=progress,
            **translations("headline", "Launched", "Запущен", "Іске қосылды"),
            **translations("body", "It runs.", "Он работает.", "Ол жұмыс істейді."),
        )
        update.sources.add(source)
    MilestoneFactory(
        initiative=program,
        due_on=datetime.date(2024, 12, 31),
        source=source,
        **translations("title", "In operation", "Введён в эксплуатацию", "Пайдалануға берілді"),
        **translations("description", "Running.", "Работает.", "Жұмыс істейді."),
    )
    InitiativeFactory(slug="untranslated", title="Untranslated program", summary="Only in English.")
    return program


PAGES = [
    "/",
    "/initiatives/",
    "/initiatives/?q=компьютер&ordering=-title",
    "/initiatives/?kind=program&country=KZ",
    "/initiatives/supercomputer/",
    "/initiatives/proposal/",
    "/initiatives/untranslated/",
    "/initiatives/supercomputer/?as_of=2025-12-31",
    "/updates/",
    "/organisations/ministry/",
    "/themes/ai/",
    "/about/",
    "/no-such-page/",
]
FEEDS = ["/feeds/updates/", "/feeds/initiatives/supercomputer/"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_public_page_reads_in_the_language_without_english_or_doubled_stops(client, translated_site, language):
    found = {}
    for page in PAGES:
        response = client.get(f"/{language}{page}")
        assert response.status_code in (200, 404), page
        words, stops = html_problems(response.content.decode())
        if words or stops:
            found[page] = (words, stops)
    assert not found, f"English or doubled full stops on /{language}/ pages: {found}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_feed_reads_in_the_language_without_english_or_doubled_stops(client, translated_site, language):
    found = {}
    for feed in FEEDS:
        response = client.get(f"/{language}{feed}")
        assert response.status_code == 200, feed
        texts, contents = feed_texts(response.content)
        words = english_words(" ".join(texts))
        stops = [text for text in texts if DOUBLED_STOP.search(text)]
        for content in contents:
            content_words, content_stops = html_problems(content)
            words += content_words
            stops += content_stops
        if words or stops:
            found[feed] = (words, stops)
    assert not found, f"English or doubled full stops in /{language}/ feeds: {found}"


def test_the_scan_catches_english_and_doubled_stops():
    """The checker itself: unmarked English and "г.." are found; marked English is not."""
    assert html_problems("<p>Title (descending)</p>")[0] == ["Title", "descending"]
    assert html_problems('<p><span lang="en">Acme Cloud</span> (на английском)</p>') == ([], [])
    assert html_problems("<p>12 января 2026 г..</p>")[1]
    assert not html_problems("<p>12 января 2026 г. Далее…</p>")[1]
    assert html_problems('<a title="Open the feed">Лента</a>')[0] == ["Open", "feed", "the"]
