"""Loading fixtures or a backup restores records; it is not an edit to audit."""

from django.db.models.signals import pre_save
from django.dispatch import receiver


@receiver(pre_save, dispatch_uid="initiatives.skip_history_on_raw_save")
def skip_history_on_raw_save(sender, instance, raw, **kwargs):
    """simple-history already skips raw saves, but loaddata then sets many-to-many
    fields outside the raw save and would log an edit for each; a restore would
    so never give back identical data. Its own flag tells it to skip those too."""
    if raw and hasattr(sender, "history"):
        instance.skip_history_when_saving = True
