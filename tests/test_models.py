"""Constraints keep the data true in the database, and clean() says why in words."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from initiatives.models import InitiativeRelation, StatusUpdate, precision_errors
from initiatives.timetravel import parse_as_of
from initiatives.vocabularies import STATUS_MEANINGS, DatePrecision, Status

from .factories import InitiativeFactory, MilestoneFactory, SourceFactory, StatusUpdateFactory

pytestmark = pytest.mark.django_db


def assert_refused_by_database(create):
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


class TestProgress:
    def test_database_refuses_progress_over_100(self):
        update = StatusUpdateFactory()
        assert_refused_by_database(lambda: StatusUpdate.objects.filter(pk=update.pk).update(progress=250))

    def test_clean_explains_progress_over_100(self):
        update = StatusUpdateFactory.build(initiative=InitiativeFactory(), progress=250)
        with pytest.raises(ValidationError) as error:
            update.full_clean()
        assert "progress" in error.value.message_dict

    @pytest.mark.parametrize("progress", [0, 100, None])
    def test_bounds_and_unknown_progress_are_accepted(self, progress):
        StatusUpdateFactory.build(initiative=InitiativeFactory(), progress=progress).full_clean()


def test_database_refuses_a_status_outside_the_vocabulary():
    update = StatusUpdateFactory()
    assert_refused_by_database(lambda: StatusUpdate.objects.filter(pk=update.pk).update(status="done"))


class TestPeriod:
    def test_database_refuses_a_period_ending_before_it_starts(self):
        assert_refused_by_database(
            lambda: InitiativeFactory(period_start=datetime.date(2025, 1, 1), period_end=datetime.date(2024, 1, 1))
        )

    def test_clean_explains_a_period_ending_before_it_starts(self):
        initiative = InitiativeFactory.build(
            period_start=datetime.date(2025, 1, 1), period_end=datetime.date(2024, 12, 31)
        )
        with pytest.raises(ValidationError) as error:
            initiative.full_clean()
        # Said once, beside the field, by the constraint itself (no clean() repeats it).
        assert error.value.message_dict == {"period_end": ["The period cannot end before it starts."]}


def test_clean_explains_a_relation_to_itself_beside_the_other_initiative():
    initiative = InitiativeFactory()
    relation = InitiativeRelation(from_initiative=initiative, to_initiative=initiative, relation_type="depends_on")
    with pytest.raises(ValidationError) as error:
        relation.full_clean()
    assert error.value.message_dict == {"to_initiative": ["An initiative cannot be related to itself."]}


def test_slugs_are_unique():
    InitiativeFactory(slug="digital-code")
    assert_refused_by_database(lambda: InitiativeFactory(slug="digital-code"))


class TestRelations:
    def test_database_refuses_an_initiative_related_to_itself(self):
        initiative = InitiativeFactory()
        assert_refused_by_database(
            lambda: InitiativeRelation.objects.create(
                from_initiative=initiative, to_initiative=initiative, relation_type="related_to"
            )
        )

    def test_a_relation_shows_from_both_ends(self):
        law, vision = InitiativeFactory(), InitiativeFactory()
        InitiativeRelation.objects.create(from_initiative=law, to_initiative=vision, relation_type="part_of")

        assert list(law.related.all()) == [vision]
        assert list(vision.related_from.all()) == [law]


class TestDatePrecision:
    @pytest.mark.parametrize(
        "value,precision,deadline",
        [
            (datetime.date(2025, 6, 1), DatePrecision.MONTH, False),
            (datetime.date(2025, 6, 30), DatePrecision.MONTH, True),
            (datetime.date(2025, 1, 1), DatePrecision.YEAR, False),
            (datetime.date(2025, 12, 31), DatePrecision.YEAR, True),
            (datetime.date(2024, 2, 29), DatePrecision.MONTH, True),
            (datetime.date(2025, 6, 17), DatePrecision.DAY, False),
        ],
    )
    def test_coarse_dates_sit_at_the_edge_of_their_period(self, value, precision, deadline):
        assert precision_errors(value, precision, deadline=deadline) is None

    def test_a_made_up_day_in_a_year_only_date_is_refused(self):
        source = SourceFactory.build(published_on=datetime.date(2023, 10, 12), published_on_precision="year")
        with pytest.raises(ValidationError) as error:
            source.full_clean()
        assert "2023-01-01" in str(error.value)

    def test_a_year_only_deadline_is_stored_as_the_last_day(self):
        milestone = MilestoneFactory.build(
            initiative=InitiativeFactory(), due_on=datetime.date(2025, 1, 1), due_on_precision="year"
        )
        with pytest.raises(ValidationError) as error:
            milestone.full_clean()
        assert "2025-12-31" in str(error.value)


def test_every_status_has_a_meaning():
    assert set(STATUS_MEANINGS) == set(Status)
    assert Status.STALLED.meaning == STATUS_MEANINGS[Status.STALLED]


class TestStatusDescribe:
    """Status.describe: the one label, meaning and badge class every surface shows."""

    def test_a_status_code_and_its_member_describe_the_same(self):
        described = Status.describe("in_progress")
        assert Status.describe(Status.IN_PROGRESS) is described
        assert (described.code, str(described.label), described.css_class) == (
            "in_progress",
            "In progress",
            "status-in_progress",
        )
        assert described.meaning == STATUS_MEANINGS[Status.IN_PROGRESS]

    @pytest.mark.parametrize("nothing", [None, ""])
    def test_no_status_is_not_yet_assessed(self, nothing):
        described = Status.describe(nothing)
        assert described.code is None
        assert str(described.label) == "Not yet assessed"
        assert str(described.meaning) == "No published status update yet."
        assert described.css_class == "status-none"

    def test_labels_follow_the_active_language(self):
        with translation.override("ru"):
            assert str(Status.describe("proposed").label) == "Предложено"

    def test_every_status_then_not_assessed_in_vocabulary_order(self):
        assert [described.code for described in Status.descriptions()] == [*Status.values, None]

    def test_an_unknown_code_is_an_error_not_a_silent_not_assessed(self):
        with pytest.raises(ValueError, match="retired"):
            Status.describe("retired")


class TestParseAsOf:
    def test_reads_an_iso_date(self):
        assert parse_as_of("2025-06-30") == datetime.date(2025, 6, 30)

    @pytest.mark.parametrize("empty", [None, ""])
    def test_empty_means_today(self, empty):
        assert parse_as_of(empty) is None

    @pytest.mark.parametrize("junk", ["2025-13-01", "yesterday", "2025-6-3", "20250630", "0001-01-01", "x" * 5000])
    def test_junk_is_a_validation_error(self, junk):
        with pytest.raises(ValidationError):
            parse_as_of(junk)


def test_string_forms_name_the_record():
    update = StatusUpdateFactory(
        initiative=InitiativeFactory(title="Cyber Shield"), reported_on=datetime.date(2025, 3, 1)
    )
    assert str(update) == "Cyber Shield: In progress (2025-03-01)"


def test_an_update_is_named_by_its_status_label_or_an_unknown_code_as_it_is():
    """An old history row may hold a code since retired: its name shows the code."""
    initiative, june = InitiativeFactory.build(title="Digital Code"), datetime.date(2025, 6, 1)
    known = StatusUpdateFactory.build(initiative=initiative, status="in_progress", reported_on=june)
    retired = StatusUpdateFactory.build(initiative=initiative, status="paused", reported_on=june)
    assert str(known) == "Digital Code: In progress (2025-06-01)"
    assert str(retired) == "Digital Code: paused (2025-06-01)"
