"""CSV exports fail honestly: bad filters are a plain-text 400, a database outage is a
503 before the first byte, a stream that breaks mid-way is aborted (not ended as if
complete), and the full export is a file per data version with Content-Length."""

import csv
import io
from unittest import mock

import pytest
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client

from initiatives import exports

from .factories import InitiativeFactory, StatusUpdateFactory

pytestmark = pytest.mark.django_db

EXPORTS = ["/initiatives.csv", "/updates.csv", "/ru/initiatives.csv", "/kk/updates.csv"]


@pytest.fixture
def anonymous():
    return Client(raise_request_exception=False)


@pytest.fixture
def data():
    for _ in range(3):
        InitiativeFactory(with_updates=2)


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("status=exploded", "status"),
        ("ordering=__class__", "ordering"),
        ("kind=martian", "kind"),
        ("theme=no-such-theme", "theme"),
    ],
)
@pytest.mark.parametrize("path", ["/initiatives.csv", "/updates.csv"])
def test_a_bad_filter_is_a_plain_text_400_that_names_it(client, data, path, query, parameter):
    response = client.get(f"{path}?{query}")

    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert f"{parameter}:" in response.content.decode()


@pytest.mark.parametrize("path", EXPORTS + ["/updates.csv?status=in_progress"])
def test_a_database_outage_is_a_503_with_retry_after_before_any_byte(anonymous, data, path):
    with mock.patch.object(BaseDatabaseWrapper, "cursor", side_effect=OperationalError("connection refused")):
        response = anonymous.get(path)

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert not response.streaming or b"".join(response.streaming_content)  # nothing half-sent


def test_a_stream_broken_mid_way_is_aborted_not_ended_as_complete(client, data):
    real_row = exports.UpdateCsvView.row
    calls = []

    def row_then_outage(self, obj):
        calls.append(obj)
        if len(calls) == 2:
            raise OperationalError("server closed the connection unexpectedly")
        return real_row(self, obj)

    with mock.patch.object(exports.UpdateCsvView, "row", row_then_outage):
        response = client.get("/updates.csv?reported_on_after=1990-01-01")
        assert response.status_code == 200
        chunks = iter(response.streaming_content)
        next(chunks), next(chunks)  # the header and the first row went out
        with pytest.raises(OperationalError):
            list(chunks)  # the server sees the error and drops the connection


@pytest.mark.parametrize("path", EXPORTS)
def test_the_full_export_is_a_file_with_content_length_built_once_per_data_version(
    client, data, path, django_assert_max_num_queries
):
    first = client.get(path)
    body = b"".join(first.streaming_content)
    assert first.status_code == 200
    assert int(first["Content-Length"]) == len(body)
    assert "attachment" in first["Content-Disposition"]

    with django_assert_max_num_queries(1):  # the data version; the rows come from the file
        again = client.get(path)
        assert b"".join(again.streaming_content) == body

    StatusUpdateFactory(initiative=InitiativeFactory(title="Brand new"), headline="Brand new")
    changed = b"".join(client.get(path).streaming_content)
    assert changed != body and b"Brand new" in changed
    assert len(list(csv.reader(io.StringIO(changed.decode())))) > len(list(csv.reader(io.StringIO(body.decode()))))


def test_a_filtered_export_is_streamed(client, data):
    response = client.get("/initiatives.csv?kind=program")

    assert response.streaming and not response.has_header("Content-Length")
