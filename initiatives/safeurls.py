"""URLs that are safe by construction: http(s) only, wherever a URL is stored or shown.

A URL saved outside the admin form (a fixture, the shell, an import) skips form
validation, so the rule is held three times over, from one definition: a model
validator (forms, full_clean), a database constraint (every write path) and the
template tag that renders external links (a link only for http(s)).
"""

import re

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

SCHEMES = ("http", "https")
HTTP_URL = re.compile(r"https?://", re.IGNORECASE)


def is_http_url(value):
    return bool(value) and HTTP_URL.match(value) is not None


def validate_http_url(value):
    if value and not is_http_url(value):
        raise ValidationError(_("Enter a web address starting with http:// or https://."), code="invalid_scheme")


class HttpURLField(models.URLField):
    """A URLField that accepts http and https only (Django's also takes ftp)."""

    default_validators = [URLValidator(schemes=list(SCHEMES)), validate_http_url]


def http_url_constraint(field, name):
    """The database's half of the rule: the column is empty or starts with http(s)://."""
    return models.CheckConstraint(
        condition=Q(**{field: ""})
        | Q(**{f"{field}__istartswith": "http://"})
        | Q(**{f"{field}__istartswith": "https://"}),
        name=name,
    )
