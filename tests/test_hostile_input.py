"""A junk-input run over the HTML lists and the CSV exports: well over 100 hostile query
strings, each answered without a 5xx, and with a 400 wherever the input is bad."""

from urllib.parse import quote

import pytest

from .factories import InitiativeFactory

pytestmark = pytest.mark.django_db

PAYLOADS = [
    "exploded",
    "__class__",
    "-1",
    "\x00",
    "' OR 1=1--",
    "<script>alert(1)</script>",
    "${jndi:ldap://x/a}",
    "%ff%fe",  # sent as it is: bytes that are not UTF-8
    "2025-W01-1",
    "true\n",
    "🙂" * 50,
    "x" * 5000,
]
# Parameters that take a closed set of values: anything above is bad input.
STRUCTURED = {
    "initiatives": ["kind", "status", "theme", "organisation", "country", "stale", "overdue", "ordering", "as_of"],
    "updates": ["kind", "status", "theme", "country", "reported_on_after", "reported_on_before", "ordering", "as_of"],
}
# Free text, and names nobody recognises: searched for, or ignored.
FREE = ["q", "initiative", "utm_source"]
PATHS = {"initiatives": ["/initiatives/", "/initiatives.csv"], "updates": ["/updates/", "/updates.csv"]}


def expected_status(parameter, payload, path):
    if parameter in FREE:
        if parameter == "q" and len(payload) > 200:  # longer than a search may be
            return 400
        if parameter != "utm_source" and "\x00" in payload:  # a filter's text never holds NUL
            return 400
        return 200
    return 400


def hostile_cases():
    for group, parameters in STRUCTURED.items():
        for parameter in parameters + (FREE if group == "updates" else ["q", "utm_source"]):
            for payload in PAYLOADS:
                yield group, parameter, payload
    for path in ("/initiatives/", "/updates/"):
        for payload in ["abc", "0", "-3", "1.5", "1e3", "²", "٣", "9" * 30]:
            yield path, "page", payload


CASES = list(hostile_cases())


def test_the_run_has_at_least_100_distinct_hostile_query_strings():
    assert len({(parameter, payload) for _, parameter, payload in CASES}) >= 100


@pytest.fixture
def site():
    for _ in range(2):
        InitiativeFactory(with_updates=2, with_relations=True)


@pytest.mark.parametrize("group", ["initiatives", "updates"])
def test_hostile_query_strings_get_a_400_or_a_200_never_a_5xx(client, site, group):
    wrong, checked = [], []
    for case_group, parameter, payload in CASES:
        if case_group.strip("/") != group:  # the other list's cases
            continue
        paths = PATHS.get(case_group, [case_group])
        # Each hostile string goes to the HTML list or the CSV in turn (both see every kind).
        for path in paths[len(wrong + checked) % len(paths) :][:1]:
            checked.append(path)
            value = payload if payload.startswith("%") else quote(payload, safe="")
            response = client.get(f"{path}?{parameter}={value}")
            expected = expected_status(parameter, payload, path)
            if response.status_code != expected:
                wrong.append((path, parameter, payload[:20], response.status_code, expected))
    assert not wrong, wrong[:10]


def test_a_malformed_as_of_beside_to_is_refused_on_the_changes_page_and_api(client):
    # Found by the schema fuzzer: with ``to`` given, ``as_of`` was never read, so
    # ?as_of=null answered 200 instead of naming the bad parameter.
    api = client.get("/api/changes/?as_of=null&to=2025-06-22")
    assert api.status_code == 400
    assert "as_of" in api.json()
    assert client.get("/changes/?as_of=null&to=2025-06-22").status_code == 400
