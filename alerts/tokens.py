"""Signed links: nothing about them is stored, and changing one character breaks it.

Each purpose has its own salt, so a link made for one cannot be used for another.
A confirmation expires (ALERTS_CONFIRM_DAYS); the links to manage or leave a
subscription, which every mail carries, keep working as long as it exists.
"""

import datetime

from django.conf import settings
from django.core import signing

CONFIRM = "alerts.confirm"
MANAGE = "alerts.manage"
UNSUBSCRIBE = "alerts.unsubscribe"


def make(purpose, email):
    return signing.dumps(email.lower(), salt=purpose, compress=True)


def read(purpose, token):
    """The address a token was made for, or None if it is forged, altered or expired."""
    max_age = datetime.timedelta(days=settings.ALERTS_CONFIRM_DAYS) if purpose == CONFIRM else None
    try:
        return signing.loads(token, salt=purpose, max_age=max_age)
    except signing.BadSignature:
        return None
