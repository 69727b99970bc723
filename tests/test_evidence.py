"""Quoted evidence and archived sources: a quote must be found verbatim in its
source's text (model, admin, CSV helper), source pages number their paragraphs
with stable anchors and mark the quoted passage, the timeline shows each quote
linking to it, and the pages cost a constant number of queries."""

import datetime
import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from initiatives.evidence import find_paragraph, normalise, quote_problem, split_paragraphs
from initiatives.models import Citation, StatusUpdate

from .conftest import forget_stored_pages
from .factories import (
    SOURCE_QUOTE,
    SOURCE_TEXT,
    CitationFactory,
    InitiativeFactory,
    SourceFactory,
    StatusUpdateFactory,
)
from .test_admin import analyst, citations_data, new_update_data  # noqa: F401 (a fixture)
from .test_admin import analyst_client as analyst_client  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


# --- The quote check ----------------------------------------------------------------------


def test_quotes_match_across_line_breaks_and_typographic_quotes():
    paragraphs = split_paragraphs(SOURCE_TEXT)
    assert len(paragraphs) == 3
    assert find_paragraph(paragraphs, 'adopted by the\n government and "implementation is under way"') == 2
    assert find_paragraph(paragraphs, "officials said") is None  # case is part of the words
    assert normalise("“a”  ‘b’\u00a0c") == "\"a\" 'b' c"


def test_a_quote_not_in_its_source_is_refused_by_the_model_naming_the_update_and_the_quote():
    update = StatusUpdateFactory(headline="Programme adopted")
    citation = Citation(update=update, source=SourceFactory(), quote="The programme was cancelled")
    with pytest.raises(ValidationError) as refused:
        citation.full_clean()
    message = " ".join(refused.value.message_dict["quote"])
    assert "“The programme was cancelled”" in message
    assert "“Programme adopted”" in message


def test_a_verified_quote_gets_its_paragraph():
    citation = Citation(update=StatusUpdateFactory(), source=SourceFactory(), quote="implementation is under way")
    citation.full_clean()
    assert citation.paragraph == 2


def test_the_csv_import_helper_names_the_update_and_the_quote():
    source = SourceFactory(title="Annual report")
    update = StatusUpdate(headline="Pilot launched")
    problem = quote_problem(update, source, "a pilot was launched")
    assert "“a pilot was launched”" in problem and "“Pilot launched”" in problem and "Annual report" in problem
    assert quote_problem(update, source, SOURCE_QUOTE) is None


def test_the_admin_refuses_a_quote_not_in_its_source(analyst_client):
    initiative = InitiativeFactory()
    source = SourceFactory()
    response = analyst_client.post(
        reverse("admin:initiatives_statusupdate_add"),
        {
            **new_update_data(initiative, published="on", headline="Adopted by the Mazhilis"),
            **citations_data((source, "The Mazhilis adopted it")),
        },
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "The quote “The Mazhilis adopted it” for “Adopted by the Mazhilis” is not found" in content
    assert not StatusUpdate.objects.exists()


def test_source_digest_is_of_the_stored_text():
    source = SourceFactory(text="One.\n\nTwo.")
    assert source.sha256 == hashlib.sha256(b"One.\n\nTwo.").hexdigest()


# --- Source pages ---------------------------------------------------------------------------


@pytest.fixture
def cited():
    source = SourceFactory(title="Annual report", publisher="Ministry", reference="001_ac6d1ebba44872c1.txt")
    initiative = InitiativeFactory(title="Digital Kazakhstan")
    update = StatusUpdateFactory(initiative=initiative, headline="Programme adopted")
    citation = CitationFactory(update=update, source=source, quote="implementation is under way")
    draft = StatusUpdateFactory(initiative=initiative, headline="Secret draft", published=False)
    CitationFactory(update=draft, source=source)
    return {"source": source, "update": update, "citation": citation}


def test_source_list_gives_publisher_date_kind_and_citing_updates(client, cited):
    content = client.get("/sources/").content.decode()
    assert "Annual report" in content and "Ministry" in content and "News article" in content
    assert "<td>1</td>" in content  # the draft is not counted
    assert "001_ac6d1ebba44872c1" not in content


def test_source_page_numbers_paragraphs_and_lists_the_updates_citing_each(client, cited):
    content = client.get(cited["source"].get_absolute_url()).content.decode()
    for number in (1, 2, 3):
        assert f'id="p-{number}"' in content
    passage = content.split('id="p-2"')[1].split('id="p-3"')[0]
    assert "Digital Kazakhstan: Programme adopted" in passage
    assert "Secret draft" not in content
    assert cited["source"].sha256 in content
    assert "001_ac6d1ebba44872c1" not in content


def test_a_quote_link_marks_the_passage(client, cited):
    url = cited["citation"].get_absolute_url()
    assert url.endswith(f"?citation={cited['citation'].pk}#p-2")
    content = client.get(url).content.decode()
    assert '<li id="p-2" value="2" class="passage is-highlighted">' in content
    assert "<mark>implementation is under way</mark>" in content


def test_a_bad_citation_parameter_is_a_400(client, cited):
    assert client.get(cited["source"].get_absolute_url() + "?citation=abc").status_code == 400


def test_timeline_shows_each_quote_as_a_blockquote_linking_to_its_passage(client, cited):
    content = client.get(cited["update"].initiative.get_absolute_url()).content.decode()
    assert "<p>implementation is under way</p></blockquote>" in content
    assert f'href="{cited["citation"].get_absolute_url()}"' in content
    assert "Annual report</a></cite>, Ministry" in content


def add_cited_updates(source, count):
    initiative = InitiativeFactory()
    for day in range(count):
        update = StatusUpdateFactory(initiative=initiative, reported_on=datetime.date(2024, 1, 1 + day))
        CitationFactory(update=update, source=source)
    return initiative


@pytest.mark.parametrize("count", [1, 12])
def test_source_pages_cost_constant_queries(client, django_assert_num_queries, count):
    source = SourceFactory()
    add_cited_updates(source, count)
    for other in range(count):
        SourceFactory()
    client.get("/sources/")  # sessions, language and cache warm-up are not the page's cost
    forget_stored_pages()
    # The data version (the page cache's key), then the page's own queries.
    with django_assert_num_queries(2):
        assert client.get("/sources/").status_code == 200
    forget_stored_pages()
    with django_assert_num_queries(3):
        assert client.get(source.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("count", [1, 12])
def test_timeline_query_count_is_constant_with_citations(client, django_assert_num_queries, count):
    initiative = add_cited_updates(SourceFactory(), count)
    client.get(initiative.get_absolute_url())
    forget_stored_pages()
    with django_assert_num_queries(12):
        assert client.get(initiative.get_absolute_url()).status_code == 200
