"""The benchmarks' URLconf serves the whole site beside the baseline views."""

import pytest
from django.test import override_settings

from .factories import CitationFactory, InitiativeFactory, StatusUpdateFactory


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="bench.urls")
def test_bench_urlconf_serves_the_baselines_and_the_site_in_every_language(client):
    InitiativeFactory(slug="measured")

    assert client.get("/bench/hello/").status_code == 200
    assert client.get("/bench/initiatives/").status_code == 200
    assert client.get("/api/initiatives/").status_code == 200
    for prefix in ["", "/ru", "/kk"]:
        assert client.get(f"{prefix}/initiatives/measured/").status_code == 200


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="bench.urls")
@pytest.mark.parametrize("name", ["initiatives", "status-updates"])
def test_each_baseline_gives_the_same_rows_as_its_api_endpoint(client, name):
    """bench/api_bench.py refuses to measure when a baseline disagrees with the API; this
    says so before a bench run does (the status-updates baseline had fallen behind the
    citations and corrections the API gained)."""
    from bench.api_bench import comparable

    update = StatusUpdateFactory(initiative=InitiativeFactory(slug="measured"), published=True)
    CitationFactory(update=update, paragraph=1)
    CitationFactory(update=update, paragraph=None)
    StatusUpdateFactory(initiative=InitiativeFactory(slug="other"), published=True)

    api = client.get(f"/api/{name}/").json()
    assert api["count"] == 2
    assert comparable(client.get(f"/bench/{name}/").json()) == comparable(api)
