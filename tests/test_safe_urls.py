"""URLs are safe by construction: only http(s) is stored (model validator and database
constraint, whatever the write path) and only http(s) is rendered as a link."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template import Context, Template

from initiatives.csvformat import neutralise_formula
from initiatives.models import ExternalLink, Organisation, Source

from .factories import InitiativeFactory, OrganisationFactory, SourceFactory

pytestmark = pytest.mark.django_db

UNSAFE = ["javascript:alert(1)", "JavaScript:alert(1)", " javascript:alert(1)", "data:text/html,<script>x</script>"]


@pytest.mark.parametrize("url", [*UNSAFE, "ftp://example.org/file"])
def test_the_model_validator_allows_only_http_and_https(url):
    source = SourceFactory.build(url=url)
    with pytest.raises(ValidationError) as error:
        source.full_clean()
    assert "url" in error.value.message_dict


@pytest.mark.parametrize("url", UNSAFE)
@pytest.mark.parametrize(
    "write",
    [
        lambda url: SourceFactory(url=url),
        lambda url: OrganisationFactory(website=url),
        lambda url: ExternalLink.objects.create(initiative=InitiativeFactory(), kind="other", label="x", url=url),
        lambda url: Source.objects.filter(pk=SourceFactory().pk).update(url=url),
        lambda url: Organisation.objects.filter(pk=OrganisationFactory().pk).update(website=url),
    ],
    ids=["source", "organisation", "external-link", "source-update", "organisation-update"],
)
def test_the_database_refuses_a_non_http_url_from_any_write_path(write, url):
    with pytest.raises(IntegrityError), transaction.atomic():
        write(url)


@pytest.mark.parametrize("url", ["https://example.org/a?b=1", "http://example.org", "HTTPS://EXAMPLE.ORG"])
def test_http_urls_are_stored_and_rendered_as_links(client, url):
    organisation = OrganisationFactory(website=url)

    body = client.get(organisation.get_absolute_url()).content.decode()

    assert f'href="{url.replace("&", "&amp;")}"' in body


@pytest.mark.parametrize("url", UNSAFE)
def test_the_link_tag_renders_any_other_scheme_as_text(url):
    rendered = Template("{% load tracker_tags %}{% external_link url label %}").render(
        Context({"url": url, "label": "Official site"})
    )

    assert "href" not in rendered and rendered == "Official site"


@pytest.mark.parametrize(
    "cell",
    ["=1+1", "\n=1+1", "\r\n=HYPERLINK()", "  =1", "\t=1", "\u3000=1", "＝1+1", "＋1", "－1", "＠SUM(A1)", "﹦1"],
)
def test_csv_neutralisation_covers_leading_space_and_full_width_formulas(cell):
    assert neutralise_formula(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["hello", "1-2", "  plain text", "", "50%"])
def test_csv_neutralisation_leaves_plain_text_alone(cell):
    assert neutralise_formula(cell) == cell
