"""A webhook's body: the read API's representation of the update or milestone,
with the event's id, type and time (Standard Webhooks' {type, timestamp, data})."""

import json
from urllib.parse import urlsplit

from django.conf import settings
from django.test import RequestFactory
from django.utils import translation
from rest_framework.utils.encoders import JSONEncoder

from initiatives.api import rows, serializers
from initiatives.api.links import Links
from initiatives.models import Milestone, StatusUpdate


def site_request():
    """A request addressed to SITE_URL, so the API's absolute links point at the site."""
    parts = urlsplit(settings.SITE_URL)
    secure = parts.scheme == "https"
    request = RequestFactory().get("/", secure=secure)
    request.get_host = lambda: parts.netloc
    return request


def update_data(update_id, links, vocabulary):
    row = StatusUpdate.objects.filter(pk=update_id).values(*rows.STATUS_UPDATE_FIELDS).first()
    if row is None:
        return None
    # The same attachments as the API's StatusUpdateViewSet.attach_list.
    return serializers.represent(
        serializers.StatusUpdateSerializer, rows.attach_update_evidence([row])[0], links, vocabulary
    )


def milestone_data(milestone_id, links, vocabulary):
    row = Milestone.objects.with_state().filter(pk=milestone_id).values(*rows.MILESTONE_FIELDS).first()
    return None if row is None else serializers.represent(serializers.MilestoneSerializer, row, links, vocabulary)


def event_payload(event):
    """The JSON-ready body for ``event``, in English (the API's default), or None
    when its subject no longer exists."""
    with translation.override(settings.LANGUAGE_CODE):
        links = Links(site_request())
        vocabulary = serializers.Vocabulary.for_language(settings.LANGUAGE_CODE)
        if event.update_id:
            data = update_data(event.update_id, links, vocabulary)
            kind = "status_update"
        else:
            data = milestone_data(event.milestone_id, links, vocabulary)
            kind = "milestone"
    if data is None:
        return None
    # Dates and times written exactly as the API writes them (DRF's encoder).
    body = {
        "id": event.uid,
        "type": event.type,
        "timestamp": event.occurred_at,
        "data": {"object": kind, **data},
    }
    if event.update_id:
        body["previous_status"] = event.previous_status or None
    return json.loads(json.dumps(body, cls=JSONEncoder))
