"""Loading fixtures or a backup restores records; it is not an edit to audit.
A citation or a source's date moving changes when the facts resting on it are known.
An update written or deleted can change which update today's status rests on."""

from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver

from .models import Citation, Initiative, Source, StatusUpdate


@receiver(pre_save, dispatch_uid="initiatives.skip_history_on_raw_save")
def skip_history_on_raw_save(sender, instance, raw, **kwargs):
    """simple-history already skips raw saves, but loaddata then sets many-to-many
    fields outside the raw save and would log an edit for each; a restore would
    so never give back identical data. Its own flag tells it to skip those too."""
    if raw and hasattr(sender, "history"):
        instance.skip_history_when_saving = True


# --- Not known before the evidence (StatusUpdate and Initiative set_known_dates) ---------
# A fixture or a backup carries its known-from dates (raw saves are skipped); every other
# write path (the admin's inlines, services, the CSV import, sources.add()) lands here.


@receiver(post_save, sender=Citation, dispatch_uid="initiatives.citation_saved_known_from")
@receiver(post_delete, sender=Citation, dispatch_uid="initiatives.citation_deleted_known_from")
def citation_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        StatusUpdate.objects.filter(pk=instance.update_id).refresh_known_dates()


@receiver(m2m_changed, sender=StatusUpdate.sources.through, dispatch_uid="initiatives.update_sources_known_from")
def update_sources_changed(sender, instance, action, reverse, pk_set, **kwargs):
    _refresh_citing(StatusUpdate, "sources", instance, action, reverse, pk_set)


@receiver(m2m_changed, sender=Initiative.sources.through, dispatch_uid="initiatives.initiative_sources_known_from")
def initiative_sources_changed(sender, instance, action, reverse, pk_set, **kwargs):
    _refresh_citing(Initiative, "sources", instance, action, reverse, pk_set)


def _refresh_citing(model, relation, instance, action, reverse, pk_set):
    """Forward (update.sources.add) ``instance`` is the citing row; reverse
    (source.status_updates.add) the rows are in ``pk_set``, except on a reverse clear,
    whose rows are noted before it (afterwards nothing says which they were)."""
    if reverse and action == "pre_clear":
        instance._clearing_citers = list(model.objects.filter(**{relation: instance}).values_list("pk", flat=True))
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        citing = [instance.pk]
    elif action == "post_clear":
        citing = getattr(instance, "_clearing_citers", [])
    else:
        citing = pk_set
    model.objects.filter(pk__in=citing).refresh_known_dates()


@receiver(post_save, sender=Source, dispatch_uid="initiatives.source_saved_known_from")
def source_saved(sender, instance, raw, created, **kwargs):
    """A source's date moved: so do the dates of what it evidences."""
    if raw or created:
        return
    StatusUpdate.objects.filter(citations__source=instance).distinct().refresh_known_dates()
    Initiative.objects.filter(sources=instance).distinct().refresh_known_dates()


@receiver(pre_delete, sender=Source, dispatch_uid="initiatives.source_deleting_known_from")
def source_deleting(sender, instance, **kwargs):
    """Deleting a source drops its initiatives' links without an m2m signal (citations
    protect it, so no update cites it): note them for post_delete."""
    instance._clearing_citers = list(Initiative.objects.filter(sources=instance).values_list("pk", flat=True))


@receiver(post_delete, sender=Source, dispatch_uid="initiatives.source_deleted_known_from")
def source_deleted(sender, instance, **kwargs):
    Initiative.objects.filter(pk__in=getattr(instance, "_clearing_citers", [])).refresh_known_dates()


# --- Today's status (Initiative.latest_standing_update) -----------------------------------
# Raw saves too: a fixture's updates are loaded after their initiatives, and the stored
# pointer must follow them. bulk_create sends no signal: StatusUpdateQuerySet.bulk_create.


@receiver(post_save, sender=StatusUpdate, dispatch_uid="initiatives.update_saved_latest")
def update_saved(sender, instance, **kwargs):
    """Its initiative's latest standing update may now be this one, or (published no
    longer, withdrawn, re-dated, moved to another initiative) no longer be it."""
    Initiative.objects.filter(
        Q(pk=instance.initiative_id) | Q(latest_standing_update=instance.pk)
    ).refresh_latest_standing_update()


@receiver(post_delete, sender=StatusUpdate, dispatch_uid="initiatives.update_deleted_latest")
def update_deleted(sender, instance, **kwargs):
    Initiative.objects.filter(pk=instance.initiative_id).refresh_latest_standing_update()
