from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InitiativesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "initiatives"
    verbose_name = _("Initiatives")

    def ready(self):
        from . import signals  # noqa: F401  (connects the receivers)
        from .cache import connect_invalidation

        connect_invalidation()
