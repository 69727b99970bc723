"""Search in the reader's language: Russian stemmed ("искусственного интеллекта" finds
"искусственный интеллект"), English stemmed, Kazakh word by word with each word a
prefix; on PostgreSQL through each language's text-search configuration and its GIN
index, on SQLite through the same Snowball stems as substrings."""

import datetime
import re

import pytest
from django.core.management import call_command
from django.db import connection

from initiatives.models import Initiative, StatusUpdate
from initiatives.search import initiatives_matching_text, substrings

from .factories import InitiativeFactory, StatusUpdateFactory, fill_search_tables

pytestmark = pytest.mark.django_db


@pytest.fixture
def programs():
    supercomputer = InitiativeFactory(
        slug="national-supercomputers",
        title="National supercomputers",
        title_ru="Национальные суперкомпьютеры",
        title_kk="Ұлттық суперкомпьютерлер",
        summary="Computing power for research.",
        summary_ru="Вычислительные мощности для исследований.",
        summary_kk="Зерттеулерге арналған есептеу қуаты.",
    )
    StatusUpdateFactory(
        initiative=supercomputer,
        headline="The first supercomputer entered operation",
        headline_ru="Первый суперкомпьютер введён в эксплуатацию",
        headline_kk="Алғашқы суперкомпьютер пайдалануға берілді",
    )
    ai = InitiativeFactory(
        slug="ai-in-schools",
        title="Artificial intelligence in schools",
        title_ru="Искусственный интеллект в школах",
        title_kk="Мектептердегі жасанды интеллект",
        summary="Governments teach AI.",
        summary_ru="Правительство вводит обучение.",
        summary_kk="Үкімет оқытуды енгізеді.",
    )
    InitiativeFactory(slug="unrelated", title="Digital tenge", title_ru="Цифровой тенге", title_kk="Цифрлық теңге")
    return {"supercomputer": supercomputer, "ai": ai}


def found(client, url):
    html = client.get(url).content.decode()
    return {slug for slug in ("national-supercomputers", "ai-in-schools", "unrelated") if f"/{slug}/" in html}


def test_russian_search_finds_inflected_forms(client, programs):
    assert found(client, "/ru/initiatives/?q=суперкомпьютер") == {"national-supercomputers"}
    assert found(client, "/ru/initiatives/?q=искусственного интеллекта") == {"ai-in-schools"}
    assert found(client, "/ru/initiatives/?q=Искусственному+Интеллекту") == {"ai-in-schools"}
    assert found(client, "/ru/initiatives/?q=эксплуатации") == {"national-supercomputers"}  # in an update
    assert found(client, "/ru/updates/?q=суперкомпьютеры").isdisjoint({"ai-in-schools", "unrelated"})
    assert "Первый суперкомпьютер" in client.get("/ru/updates/?q=суперкомпьютеры").content.decode()
    assert found(client, "/ru/initiatives/?q=искусственного+тенге") == set()  # every word must match


def test_english_search_finds_inflected_forms(client, programs):
    assert found(client, "/initiatives/?q=government") == {"ai-in-schools"}
    assert found(client, "/initiatives/?q=supercomputer") == {"national-supercomputers"}
    # A Russian page still searches the English original (the fallback it shows).
    assert found(client, "/ru/initiatives/?q=supercomputers") == {"national-supercomputers"}


def test_kazakh_search_matches_words_as_prefixes(client, programs):
    assert found(client, "/kk/initiatives/?q=жасанды интеллект") == {"ai-in-schools"}
    assert found(client, "/kk/initiatives/?q=суперкомпьютер") == {"national-supercomputers"}
    assert found(client, "/kk/initiatives/?q=пайдалану") == {"national-supercomputers"}
    assert found(client, "/kk/initiatives/?q=Ұлттық") == {"national-supercomputers"}


def test_a_language_s_words_are_not_looked_for_in_another_language_s_columns(client, programs):
    assert found(client, "/initiatives/?q=суперкомпьютер") == set()  # English page: English text
    assert found(client, "/kk/initiatives/?q=искусственного") == set()


def test_the_api_searches_in_the_language_asked(client, programs):
    results = client.get("/api/initiatives/?q=искусственного+интеллекта&lang=ru", HTTP_ACCEPT="application/json")
    assert [row["slug"] for row in results.json()["results"]] == ["ai-in-schools"]


def test_without_text_search_a_word_is_looked_for_by_its_stem():
    assert substrings(["интеллекта", "искусственного"], "ru") == ["интеллект", "искусствен"]
    assert substrings(["governments", "happy"], "en") == ["govern", "happy"]  # "happi" is not its start
    assert substrings(["интеллектті"], "kk") == ["интеллектті"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="text-search configurations exist on PostgreSQL only")
def test_each_language_is_stored_and_indexed_in_its_own_configuration():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name, generation_expression FROM information_schema.columns"
            " WHERE column_name LIKE 'search_document%%'"
        )
        documents = {(table, name): expression for table, name, expression in cursor.fetchall()}
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE indexname LIKE '%%search%%'")
        indexes = dict(cursor.fetchall())
    expected = {"": "english", "_ru": "russian", "_kk": "simple"}
    for suffix, config in expected.items():
        for table in ("initiative", "statusupdate"):
            expression = documents[(f"initiatives_{table}", f"search_document{suffix}")]
            assert f"'{config}'::regconfig" in expression
            assert {"english", "russian", "simple"} - {config} & set(expression.split("'")) == set()
            assert indexes[f"{table}_search{suffix}_idx"].endswith(
                f"USING gin (search_document{suffix})" + (" WHERE published" if table == "statusupdate" else "")
            )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="GIN search indexes exist on PostgreSQL only")
@pytest.mark.parametrize(("language", "word"), [("en", "governments"), ("ru", "интеллекта"), ("kk", "интеллект")])
def test_each_language_s_search_is_served_by_its_gin_index(language, word):
    fill_search_tables()
    # Priced as on a large table: statistics other tests leave can make the planner prefer
    # a sequential scan, and in 3,000 rows testing each row's stored document (migration
    # 0021) looks cheaper than asking an index. Priced out, an index still shows only if
    # it serves the query.
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL cpu_operator_cost = 1")
    suffix = "" if language == "en" else f"_{language}"
    # The match set that the searched queryset reads (cached per data version, search.py).
    plan = initiatives_matching_text(Initiative, [word], language).explain()
    past_plan = initiatives_matching_text(Initiative, [word], language, datetime.date(2025, 1, 1)).explain()
    update_plan = StatusUpdate.objects.published().latest_first().search(word, language=language).explain()
    assert f"initiative_search{suffix}_idx" in plan
    assert f"initiative_updates_search{suffix}_idx" in plan
    assert f"statusupdate_search{suffix}_idx" in past_plan
    assert f"statusupdate_search{suffix}_idx" in update_plan


def test_the_dataset_is_found_in_russian_and_kazakh(client):
    call_command("load_dataset", verbosity=0)
    assert "national-supercomputers" in found_slugs(client, "/ru/initiatives/?q=суперкомпьютер")
    assert "ai-law" in found_slugs(client, "/ru/initiatives/?q=искусственного интеллекта")
    assert "national-supercomputers" in found_slugs(client, "/kk/initiatives/?q=суперкомпьютер")


def found_slugs(client, url):
    html = client.get(url).content.decode()
    return set(re.findall(r'href="/(?:ru|kk)/initiatives/([a-z0-9-]+)/"', html))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the match set is kept for PostgreSQL's search only")
def test_a_searched_list_finds_its_matches_once_per_data_version(client):
    """The rows, the count and every facet of a searched list share one match set, kept
    until the data changes: the updates' words are looked up once, not once per query.
    An analyst's save is found on the next request."""
    from django.test.utils import CaptureQueriesContext

    reactor = StatusUpdateFactory(headline="Quantum computing centre opened").initiative
    other = InitiativeFactory()

    def update_text_searches(url):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        found = [q for q in queries.captured_queries if "updates_document" in q["sql"]]
        return len(found), response.content.decode()

    searches, html = update_text_searches("/initiatives/?q=quantum")
    assert searches == 1
    assert reactor.title in html and other.title not in html
    searches, html = update_text_searches("/initiatives/?q=quantum&kind=program")
    assert searches == 0
    assert reactor.title in html

    StatusUpdateFactory(initiative=other, headline="A quantum link to the centre")
    searches, html = update_text_searches("/initiatives/?q=quantum&kind=program")
    assert searches == 1
    assert reactor.title in html and other.title in html


@pytest.mark.skipif(connection.vendor != "postgresql", reason="documents are stored on PostgreSQL only")
def test_searches_read_the_stored_documents_instead_of_computing_them(client, programs):
    """Ranking and matching read migration 0021's stored documents: computing them from
    the text (to_tsvector) for every matching initiative was most of a cold search."""
    from django.test.utils import CaptureQueriesContext

    for url in ("/ru/initiatives/?q=суперкомпьютер", "/kk/updates/?q=суперкомпьютер", "/initiatives/?q=government"):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        assert [q["sql"] for q in queries.captured_queries if "to_tsvector" in q["sql"]] == [], url
    assert found(client, "/ru/initiatives/?q=суперкомпьютер") == {"national-supercomputers"}
    # A stored document follows an edit of the text it is made of.
    programs["ai"].title_ru = "Суперкомпьютеры в школах"
    programs["ai"].save()
    assert found(client, "/ru/initiatives/?q=суперкомпьютер") == {"national-supercomputers", "ai-in-schools"}


def searched_list(client, url):
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response, [q["sql"] for q in queries.captured_queries]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the match set is kept for PostgreSQL's search only")
def test_a_word_most_initiatives_hold_is_kept_as_the_few_that_lack_it(client):
    holders = [InitiativeFactory(title=f"Quantum network {n}") for n in range(3)]
    lacking = InitiativeFactory(title="Digital tenge")
    response, queries = searched_list(client, "/initiatives/?q=quantum")
    html = response.content.decode()
    assert all(each.title in html for each in holders) and lacking.title not in html
    assert response.context["page_obj"].paginator.count == 3
    assert any(f'NOT ("initiatives_initiative"."id" = ANY(\'{{{lacking.pk}}}\'' in sql for sql in queries)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the match set is kept for PostgreSQL's search only")
def test_a_word_every_initiative_holds_filters_nothing(client):
    """Its rows, count and facets are the unfiltered list's queries, ranked: no id array."""
    holders = [InitiativeFactory(title=f"Quantum network {n}") for n in range(3)]
    response, queries = searched_list(client, "/initiatives/?q=quantum")
    assert response.context["page_obj"].paginator.count == len(holders)
    assert [sql for sql in queries if "ANY(" in sql] == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="updates' documents are stored on PostgreSQL only")
def test_an_initiative_s_stored_update_words_follow_every_write_to_its_updates():
    """Migration 0023's trigger: whatever writes an update (save, move, queryset update,
    bulk insert, delete), today's search finds its initiative by the published words."""
    first, second = InitiativeFactory(), InitiativeFactory()

    def found(word, language="en"):
        return set(initiatives_matching_text(Initiative, [word], language))

    update = StatusUpdateFactory(initiative=first, headline="Quantum centre opened", headline_ru="Квантовый центр")
    assert found("quantum") == {first} and found("квантовый", "ru") == {first}
    update.initiative = second
    update.save()
    assert found("quantum") == {second}
    StatusUpdate.objects.filter(pk=update.pk).update(published=False)
    assert found("quantum") == set()
    StatusUpdate.objects.filter(pk=update.pk).update(published=True)
    assert found("quantum") == {second}
    StatusUpdate.objects.bulk_create([StatusUpdateFactory.build(initiative=first, headline="Fusion reactor")])
    assert found("fusion") == {first}
    update.delete()
    assert found("quantum") == set() and found("fusion") == {first}
    StatusUpdateFactory(initiative=first, headline="Graphene plant planned", published=False)
    assert found("graphene") == set()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="updates' documents are stored on PostgreSQL only")
def test_a_past_date_s_search_finds_only_the_updates_known_then(client):
    initiative = InitiativeFactory(title="Digital Code", proposed_on=datetime.date(2020, 1, 1))
    StatusUpdateFactory(initiative=initiative, headline="Quantum centre opened", reported_on=datetime.date(2025, 6, 1))

    assert "Digital Code" in client.get("/initiatives/?q=quantum").content.decode()
    assert "Digital Code" not in client.get("/initiatives/?q=quantum&as_of=2025-01-01").content.decode()
    assert "Digital Code" in client.get("/initiatives/?q=quantum&as_of=2025-07-01").content.decode()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the match set is kept for PostgreSQL's search only")
@pytest.mark.parametrize("holders_count", [1, 3])  # the ids that match, and the ids that do not
def test_a_searched_list_counts_its_link_facets_by_the_match_set_not_a_semi_join(client, holders_count):
    """Themes, roles and countries are counted in their own tables, filtered by the match
    set's id array: a semi-join against every initiative cost each 10-20 ms at 10,000."""
    holders = [InitiativeFactory(title=f"Quantum network {n}", with_relations=True) for n in range(holders_count)]
    others = [InitiativeFactory(title=f"Digital tenge {n}", with_relations=True) for n in range(4 - holders_count)]
    response, queries = searched_list(client, "/initiatives/?q=quantum")
    facets = {facet["key"]: facet["values"] for facet in response.context["facets"]}
    for key, related in (("theme", "themes"), ("country", "countries")):
        shown = {item["value"]: item["count"] for item in facets[key]}
        expected = {}
        for initiative in holders:
            for each in getattr(initiative, related).all():
                value = getattr(each, "slug", None) or each.country.code
                expected[value] = expected.get(value, 0) + 1
        assert shown == expected, key
    assert sum(item["count"] for item in facets["organisation"]) == len(holders)
    assert others
    for table in ("initiative_themes", "initiativeorganisation", "initiativecountry"):
        # (With one that lacks the word, the table's whole count, less that one's.)
        counts = [sql for sql in queries if sql.startswith(f'SELECT "initiatives_{table}"') and "COUNT(" in sql]
        assert any(f'"initiatives_{table}"."initiative_id" = ANY(' in sql for sql in counts)
        assert not [sql for sql in counts if '"initiatives_initiative"' in sql]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the match set is kept for PostgreSQL's search only")
@pytest.mark.parametrize("also", ["", "&kind=program", "&theme=networks", "&status=in_progress", "&kind=proposal"])
def test_a_common_word_s_facets_are_the_list_s_less_the_few_that_lack_it(client, also):
    """Today's kind, theme, organisation and country facets of a word most initiatives
    hold are the unsearched list's (kept under the catalogue version) less the counts of
    the initiatives without it: the same values as counted directly."""
    from initiatives.facets import facet_values

    from .factories import ThemeFactory

    networks = ThemeFactory(slug="networks", name="Networks")
    holders = [InitiativeFactory(title=f"Quantum network {n}", kind="program", with_relations=True) for n in range(3)]
    lacking = InitiativeFactory(title="Digital tenge", kind="program", with_relations=True)
    for each in (holders[0], lacking):
        each.themes.add(networks)
        StatusUpdateFactory(initiative=each, status="in_progress")
    assert client.get("/initiatives/").status_code == 200  # the unsearched facets, kept

    response, queries = searched_list(client, f"/initiatives/?q=quantum{also}")
    counted_directly = facet_values(response.context["filter"], Initiative.objects.with_current_status())
    assert response.context["facets"] == counted_directly
    if also in ("", "&kind=program", "&theme=networks"):
        links = [sql for sql in queries if sql.startswith('SELECT "initiatives_initiative_themes"') and "COUNT(" in sql]
        # The one that lacks it is counted (with, when not kept yet, the list without the word).
        assert f"= ANY('{{{lacking.pk}}}'" in links[-1] and "NOT (" not in links[-1]
        assert len(links) == (1 if also == "" else 2)
