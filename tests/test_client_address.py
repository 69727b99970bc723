"""Client addresses come from the proxies we trust (NUM_PROXIES), for the API throttle
and the login lockout alike: a made-up X-Forwarded-For buys no new allowance."""

import random

import pytest
from axes.models import AccessAttempt
from django.test import Client

from .factories import UserFactory

pytestmark = pytest.mark.django_db

PROXY = "127.0.0.1"


def random_address():
    return ".".join(str(random.randint(1, 254)) for _ in range(4))


def test_a_spoofed_forwarded_for_does_not_buy_a_new_allowance(settings):
    settings.API_ANON_RATE = "5/minute"
    client = Client()

    statuses = [client.get("/api/themes/", HTTP_X_FORWARDED_FOR=random_address()).status_code for _ in range(20)]

    assert statuses == [200] * 5 + [429] * 15


def test_sending_someone_elses_address_does_not_use_up_their_allowance(settings):
    settings.API_ANON_RATE = "2/minute"
    client = Client()
    for _ in range(3):
        client.get("/api/themes/", REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="203.0.113.5")

    assert client.get("/api/themes/", REMOTE_ADDR="203.0.113.5").status_code == 200


def test_behind_one_trusted_proxy_the_real_client_address_is_used(settings):
    settings.NUM_PROXIES = 1
    settings.API_ANON_RATE = "2/minute"
    client = Client(REMOTE_ADDR=PROXY)

    def as_client(address, claimed=None):
        forwarded = f"{claimed}, {address}" if claimed else address
        return client.get("/api/themes/", HTTP_X_FORWARDED_FOR=forwarded).status_code

    assert [as_client("203.0.113.5") for _ in range(3)] == [200, 200, 429]
    # What the client itself puts in front of the proxy's entry changes nothing...
    assert as_client("203.0.113.5", claimed=random_address()) == 429
    # ...and another client behind the same proxy has its own allowance.
    assert as_client("203.0.113.6") == 200


def test_the_login_lockout_records_the_address_the_trusted_proxy_saw(settings):
    settings.NUM_PROXIES = 1
    UserFactory(username="target", is_staff=True)
    client = Client(REMOTE_ADDR=PROXY)

    client.post(
        "/admin/login/?next=/admin/",
        {"username": "target", "password": "wrong"},
        HTTP_X_FORWARDED_FOR="10.9.9.9, 203.0.113.5",
    )

    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["203.0.113.5"]


def test_without_a_trusted_proxy_the_lockout_ignores_forwarded_for(settings):
    UserFactory(username="target", is_staff=True)
    login = "/admin/login/?next=/admin/"
    client = Client(REMOTE_ADDR="198.51.100.7")
    for _ in range(5):
        client.post(login, {"username": "target", "password": "wrong"}, HTTP_X_FORWARDED_FOR=random_address())

    locked = client.post(login, {"username": "target", "password": "wrong"}, HTTP_X_FORWARDED_FOR=random_address())

    assert locked.status_code == 429
