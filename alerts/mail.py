"""The mails: confirmation, alert (one event) and weekly digest (several), each
with plain-text and HTML parts, in the subscriber's language, with RFC 8058
one-click unsubscribe headers."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from initiatives.models import StatusUpdate
from initiatives.translation import localized
from initiatives.vocabularies import Status

from . import tokens
from .models import EventType


def absolute(path):
    return settings.SITE_URL + path


def link(name, language, **kwargs):
    with translation.override(language):
        return absolute(reverse(name, kwargs=kwargs))


def message(*, to, subject, template, context, language, headers=None):
    with translation.override(language):
        context = {**context, "language": language, "site_url": settings.SITE_URL}
        text = render_to_string(f"alerts/mail/{template}.txt", context)
        html = render_to_string(f"alerts/mail/{template}.html", context)
    mail = EmailMultiAlternatives(
        subject=" ".join(str(subject).split()),  # never a line break in a header
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers={"Auto-Submitted": "auto-generated", **(headers or {})},
    )
    mail.attach_alternative(html, "text/html")
    return mail


def confirmation(email, language, subscriptions):
    return message(
        to=email,
        subject=_("Confirm your alerts from the Policy-initiative tracker"),
        template="confirm",
        language=language,
        context={
            "confirm_url": link("alerts:confirm", language, token=tokens.make(tokens.CONFIRM, email)),
            "subscriptions": subscriptions,
            "days": settings.ALERTS_CONFIRM_DAYS,
        },
    )


def manage_link_mail(email, language):
    return message(
        to=email,
        subject=_("Your alerts from the Policy-initiative tracker"),
        template="manage_link",
        language=language,
        context={"manage_url": link("alerts:manage", language, token=tokens.make(tokens.MANAGE, email))},
    )


def evidence(update, language):
    """The update's quoted evidence: citations with their quotes (issue 14) where
    the model has them, else the cited sources alone."""
    if hasattr(StatusUpdate, "citations"):
        items = []
        for citation in update.citations.select_related("source"):
            translated = getattr(citation, f"quote_{language}", "") if language != "en" else ""
            items.append({"quote": citation.quote, "translation": translated, "source": citation.source})
        return items
    return [{"quote": "", "translation": "", "source": source} for source in update.sources.all()]


def status_label(code):
    return Status.describe(code).label


def entry(event, language):
    """What one event says, for the templates, in ``language``."""
    update = event.update
    with translation.override(language):
        page = update.initiative.get_absolute_url()
        permalink = absolute(f"{page}?as_of={update.reported_on.isoformat()}#update-{update.pk}")
        return {
            "type": event.type,
            "heading": {
                EventType.UPDATE_PUBLISHED: _("New status update"),
                EventType.UPDATE_REVISED: _("Status update revised"),
                EventType.UPDATE_WITHDRAWN: _("Status update withdrawn"),
            }[event.type],
            "initiative": localized(update.initiative, "title"),
            # Only a change of status is shown as old → new.
            "old_status": (
                str(status_label(event.previous_status))
                if event.previous_status and event.previous_status != update.status
                else ""
            ),
            "new_status": str(status_label(update.status)),
            "progress": update.progress,
            "headline": localized(update, "headline"),
            "reported_on": update.reported_on,
            "revision_note": getattr(update, "revision_note", ""),
            "withdrawal_reason": getattr(update, "withdrawal_reason", ""),
            "evidence": evidence(update, language),
            "permalink": permalink,
        }


def alert(email, language, events, *, digest=False, entries=None):
    """One mail about ``events`` (one for an immediate alert, several for a digest).
    ``entries`` may hold what each event says per language, shared across a batch."""
    known = {} if entries is None else entries
    for event in events:
        if (event.pk, language) not in known:
            known[(event.pk, language)] = entry(event, language)
    entries = [known[(event.pk, language)] for event in events]
    unsubscribe_url = link("alerts:unsubscribe", language, token=tokens.make(tokens.UNSUBSCRIBE, email))
    with translation.override(language):
        if not digest:
            first = entries[0]
            change = f"{first['old_status']} → {first['new_status']}" if first["old_status"] else first["new_status"]
            subject = f"{first['initiative']}: {change}"
        else:
            subject = _("Weekly digest: %(count)d changes") % {"count": len(entries)}
    return message(
        to=email,
        subject=subject,
        template="alert",
        language=language,
        context={
            "entries": entries,
            "digest": digest,
            "manage_url": link("alerts:manage", language, token=tokens.make(tokens.MANAGE, email)),
            "unsubscribe_url": unsubscribe_url,
        },
        headers={
            # RFC 8058: a mail client may unsubscribe with one POST, no page visit.
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "List-Id": f"<alerts.{settings.SITE_URL.split('://', 1)[-1].split('/')[0].split(':')[0]}>",
        },
    )
