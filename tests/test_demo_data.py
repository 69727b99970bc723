import pytest
from django.core.management import CommandError, call_command

from initiatives.models import Initiative, Milestone, Source, StatusUpdate

from .factories import InitiativeFactory

pytestmark = pytest.mark.django_db


def test_generates_the_requested_synthetic_set_with_sourced_updates():
    call_command("generate_demo_data", initiatives=12, updates_per_initiative=4, milestones_per_initiative=2)

    assert Initiative.objects.filter(slug__startswith="demo-").count() == 12
    assert StatusUpdate.objects.count() == 48
    assert Milestone.objects.count() == 24
    assert not StatusUpdate.objects.filter(sources__isnull=True).exists()
    assert Initiative.objects.with_current_status().filter(current_status__isnull=False).count() >= 1


def test_clear_replaces_only_synthetic_records():
    real = InitiativeFactory(slug="digital-code")
    call_command("generate_demo_data", initiatives=5, updates_per_initiative=2)

    call_command("generate_demo_data", initiatives=3, updates_per_initiative=1, clear=True)

    assert Initiative.objects.filter(slug__startswith="demo-").count() == 3
    assert Initiative.objects.filter(pk=real.pk).exists()
    assert Source.objects.filter(title__startswith="[synthetic]").count() == 150


def test_refuses_to_mix_two_synthetic_sets():
    call_command("generate_demo_data", initiatives=2, updates_per_initiative=1)

    with pytest.raises(CommandError, match="--clear"):
        call_command("generate_demo_data", initiatives=2, updates_per_initiative=1)


def test_refuses_nonsense_counts():
    with pytest.raises(CommandError):
        call_command("generate_demo_data", initiatives=0)


def test_generating_moves_the_data_version_so_nothing_cached_from_before_is_served():
    """Bulk writes send no signal. A bench database generated after another one kept
    version 0 and was served the other's exported CSV file (2,366 rows for 237,441)."""
    from initiatives.models import DataVersion

    before = DataVersion.objects.get(pk=DataVersion.SINGLETON_PK).number
    call_command("generate_demo_data", initiatives=2, updates_per_initiative=1)
    assert DataVersion.objects.get(pk=DataVersion.SINGLETON_PK).number > before
