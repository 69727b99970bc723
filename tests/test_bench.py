"""The benchmarks' URLconf serves the whole site beside the baseline views."""

import pytest
from django.test import override_settings

from .factories import InitiativeFactory


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="bench.urls")
def test_bench_urlconf_serves_the_baselines_and_the_site_in_every_language(client):
    InitiativeFactory(slug="measured")

    assert client.get("/bench/hello/").status_code == 200
    assert client.get("/bench/initiatives/").status_code == 200
    assert client.get("/api/initiatives/").status_code == 200
    for prefix in ["", "/ru", "/kk"]:
        assert client.get(f"{prefix}/initiatives/measured/").status_code == 200
