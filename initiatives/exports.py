"""CSV exports (being built; see issue 5)."""

from .views import _Placeholder as InitiativeCsvView, _Placeholder as UpdateCsvView  # noqa: F401
