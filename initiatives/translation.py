"""Translated content: Russian and Kazakh versions of the tracker's own text.

English is the source: ``title`` holds the English text and ``title_ru`` /
``title_kk`` its translations, blank where nobody has translated it yet. The
English columns stay what every query, index (migration 0004), CSV and import
reads; pages and the API pick the column of the language shown and fall back to
English, saying so (``LocalizedText.is_fallback``), so that a page can mark the
English text with ``lang="en"``.
"""

from django.utils import translation
from django.utils.html import format_html, linebreaks
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

SOURCE_LANGUAGE = "en"
TRANSLATED_LANGUAGES = ("ru", "kk")


def language_code(language=None):
    """The active (or given) language as one of the site's codes: "en", "ru" or "kk"."""
    code = (language or translation.get_language() or SOURCE_LANGUAGE).split("-")[0].lower()
    return code if code in TRANSLATED_LANGUAGES else SOURCE_LANGUAGE


def translated(*fields):
    """The field names with their translation columns: translated("title") is
    ["title", "title_ru", "title_kk"]; works for lookups ("initiative__title") too,
    so ``.only(*translated(...))`` loads every version in the same query."""
    return [name for field in fields for name in (field, *translation_columns(field))]


def translation_columns(field):
    """Only the translation columns: translation_columns("quote") is ("quote_ru", "quote_kk")."""
    return tuple(f"{field}_{code}" for code in TRANSLATED_LANGUAGES)


def column(field, language=None):
    """The column holding ``field`` in the language (the English column for English)."""
    code = language_code(language)
    return field if code == SOURCE_LANGUAGE else f"{field}_{code}"


class LocalizedText(str):
    """Text in the language shown, or its English original when untranslated."""

    lang = SOURCE_LANGUAGE
    is_fallback = False
    # A name kept in the original where it has no usual translation (a company, a
    # programme's brand): English, but not a missing translation.
    is_proper_name = False

    @classmethod
    def make(cls, text, lang, is_fallback, is_proper_name=False):
        value = cls(text or "")
        value.lang = lang
        value.is_fallback = is_fallback
        value.is_proper_name = is_proper_name
        return value

    def __reduce__(self):
        return (LocalizedText.make, (str(self), self.lang, self.is_fallback, self.is_proper_name))

    def marked(self):
        """HTML for the page: the text, and when it is the English fallback, in a
        lang="en" span followed by a note saying so (screen readers switch voice);
        a proper name in the original is marked lang="en" without the note."""
        if not self.is_fallback:
            return format_html("{}", str(self))
        if self.is_proper_name:
            return format_html('<span lang="en">{}</span>', str(self))
        return format_html(
            '<span lang="en">{}</span> <small class="fallback-note">{}</small>',
            str(self),
            gettext("(in English)"),
        )


def prose(value):
    """Paragraphs of translated content in <div class="prose">; the English fallback
    is marked lang="en", with the note "(in English)" before it. Pages (the ``prose``
    filter) and feeds."""
    html = mark_safe(linebreaks(str(value), autoescape=True))  # noqa: S308 - linebreaks escaped it
    if isinstance(value, LocalizedText) and value.is_fallback:
        return format_html(
            '<p class="fallback-note">{}</p><div class="prose" lang="en">{}</div>', gettext("(in English)"), html
        )
    return format_html('<div class="prose">{}</div>', html)


def localized(obj, field, language=None):
    """obj.field in the language (default: the active one), falling back to English."""
    return _choose(
        getattr(obj, field) or "",
        lambda code: getattr(obj, f"{field}_{code}", ""),
        language,
        is_proper_name=field in getattr(obj, "proper_names", ()),
    )


def localized_value(row, field, language=None, *, is_proper_name=False):
    """The same choice over a ``.values()`` row (a dict holding the translated() keys)."""
    return _choose(row.get(field) or "", lambda code: row.get(f"{field}_{code}"), language, is_proper_name)


def _choose(source, translation_in, language, is_proper_name):
    code = language_code(language)
    if code != SOURCE_LANGUAGE:
        text = translation_in(code) or ""
        if text.strip():
            return LocalizedText.make(text, code, False)
        return LocalizedText.make(source, SOURCE_LANGUAGE, bool(source), is_proper_name)
    return LocalizedText.make(source, SOURCE_LANGUAGE, False)


def in_original(text, language=None):
    """Text kept only as recorded (a proposer, a venue, a publisher: names in the
    original), marked as English on a Russian or Kazakh page."""
    return LocalizedText.make(text, SOURCE_LANGUAGE, bool(text) and language_code(language) != SOURCE_LANGUAGE, True)


class Localized:
    """``obj.tr.title``: the title in the active language (see localized)."""

    __slots__ = ("_obj",)

    def __init__(self, obj):
        self._obj = obj

    def __getattr__(self, field):
        if field.startswith("_"):
            raise AttributeError(field)
        return localized(self._obj, field)


class TranslatableMixin:
    """Models whose text fields have _ru and _kk versions: ``obj.tr.title``.

    ``proper_names``: fields whose untranslated value is a name kept in the original."""

    proper_names = ()

    @property
    def tr(self):
        return Localized(self)
