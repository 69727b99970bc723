from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InitiativesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "initiatives"
    verbose_name = _("Initiatives")

    def ready(self):
        from django.db.backends.signals import connection_created

        from . import signals  # noqa: F401  (connects the receivers)
        from .cache import connect_invalidation
        from .search import register_sqlite_functions

        connect_invalidation()
        connection_created.connect(register_sqlite_functions, dispatch_uid="tracker-sqlite-lower")
