"""Following by email: request (double opt-in), confirm, manage, leave.

No page says whether an address is subscribed: a follow request and a request
for a management link get the same answer whatever the address, and only the
mailbox's owner, through a signed link, sees what it follows.
"""

from django.db import transaction
from django.http import HttpResponseForbidden
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import TemplateView

from initiatives.translation import language_code
from tracker.clientaddr import client_address

from . import tasks, throttle, tokens
from .forms import TARGETS, FollowForm, ManageForm, ManageLinkForm
from .models import Frequency, Subscription


def cross_site(request):
    """A POST sent from another site's page. The follow form sits on cacheable public
    pages, which carry no per-visitor CSRF token (it would defeat their ETags); the
    browser's Origin and Sec-Fetch-Site headers stop forged requests instead, and
    the worst a forged one could do is a throttled confirmation mail."""
    if request.headers.get("Sec-Fetch-Site", "") == "cross-site":
        return True
    origin = request.headers.get("Origin")
    if origin and origin != "null":
        return not url_has_allowed_host_and_scheme(origin + "/", allowed_hosts={request.get_host()})
    return False


def invalid_link(request):
    return render(request, "alerts/invalid_link.html", status=400)


def too_many(request):
    return render(request, "alerts/throttled.html", status=429)


@method_decorator(csrf_exempt, name="dispatch")
class FollowView(View):
    template_name = "alerts/follow.html"

    def page(self, form, data, status=200):
        """The form on a page of its own (for a GET, or to show errors)."""
        kind = next((name for name in TARGETS if data.get(name)), None)
        context = {"form": form, "follow_kind": kind, "follow_slug": data.get(kind, "")[:200] if kind else ""}
        return render(self.request, self.template_name, context, status=status)

    def get(self, request):
        return self.page(FollowForm(), request.GET)

    def post(self, request):
        if cross_site(request):
            return HttpResponseForbidden()
        form = FollowForm(request.POST)
        if not form.is_valid():
            return self.page(form, request.POST, status=400)
        email = form.cleaned_data["email"]
        if not throttle.allowed(ip=client_address(request), email=email):
            return too_many(request)
        language = language_code()
        target = form.cleaned_data["target"]
        self.request_subscription(email, language, form.cleaned_data["frequency"], target)
        return redirect("alerts:requested")

    @staticmethod
    @transaction.atomic
    def request_subscription(email, language, frequency, target):
        lookup = {"email": email, "initiative": None, "theme": None, "organisation": None}
        if target:
            lookup[target[0]] = target[1]
        subscription, created = Subscription.objects.get_or_create(
            **lookup, defaults={"language": language, "frequency": frequency}
        )
        if not subscription.confirmed and not created:
            # Asking again before confirming: the latest choice counts.
            subscription.language, subscription.frequency = language, frequency
            subscription.save(update_fields=["language", "frequency"])
        # A confirmed address is told nothing new (and the page says the same either way).
        if not subscription.confirmed and throttle.first_mail_this_hour(email):
            transaction.on_commit(lambda: tasks.send_confirmation.delay(email, language))


class RequestedView(TemplateView):
    template_name = "alerts/requested.html"


class ConfirmView(View):
    def get(self, request, token):
        email = tokens.read(tokens.CONFIRM, token)
        if email is None:
            return invalid_link(request)
        pending = Subscription.objects.filter(email=email, confirmed=False)
        return render(request, "alerts/confirm.html", {"subscriptions": pending})

    def post(self, request, token):
        email = tokens.read(tokens.CONFIRM, token)
        if email is None:
            return invalid_link(request)
        Subscription.objects.filter(email=email, confirmed=False).update(confirmed=True, requested_at=None)
        return redirect(reverse("alerts:manage", kwargs={"token": tokens.make(tokens.MANAGE, email)}) + "?confirmed=1")


class ManageView(View):
    template_name = "alerts/manage.html"

    def dispatch(self, request, token):
        self.email = tokens.read(tokens.MANAGE, token)
        if self.email is None:
            return invalid_link(request)
        self.subscriptions = list(
            Subscription.objects.filter(email=self.email, confirmed=True).select_related(
                "initiative", "theme", "organisation"
            )
        )
        return super().dispatch(request, token)

    def render(self, form, status=200):
        context = {
            "form": form,
            "confirmed": self.request.GET.get("confirmed") == "1",
            "unsubscribe_url": reverse(
                "alerts:unsubscribe", kwargs={"token": tokens.make(tokens.UNSUBSCRIBE, self.email)}
            ),
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, token):
        return self.render(ManageForm(subscriptions=self.subscriptions))

    def post(self, request, token):
        form = ManageForm(request.POST, subscriptions=self.subscriptions)
        if not form.is_valid():
            return self.render(form, status=400)
        for subscription in self.subscriptions:
            if form.cleaned_data[f"delete_{subscription.pk}"]:
                subscription.delete()
            elif form.cleaned_data[f"frequency_{subscription.pk}"] != subscription.frequency:
                subscription.frequency = Frequency(form.cleaned_data[f"frequency_{subscription.pk}"])
                subscription.save(update_fields=["frequency"])
        return redirect(request.path)


@method_decorator(csrf_exempt, name="dispatch")
class UnsubscribeView(View):
    """RFC 8058: a POST to the List-Unsubscribe address (a mail client's one click,
    with no cookie or CSRF token) removes every subscription of the address; the
    same link opened in a browser asks first."""

    def get(self, request, token):
        if tokens.read(tokens.UNSUBSCRIBE, token) is None:
            return invalid_link(request)
        return render(request, "alerts/unsubscribe.html")

    def post(self, request, token):
        email = tokens.read(tokens.UNSUBSCRIBE, token)
        if email is None:
            return invalid_link(request)
        Subscription.objects.filter(email=email).delete()
        return render(request, "alerts/unsubscribed.html")


@method_decorator(csrf_exempt, name="dispatch")
class ManageLinkView(View):
    """Ask for a link to manage your alerts, mailed to the address if it has any."""

    template_name = "alerts/manage_link.html"

    def get(self, request):
        return render(request, self.template_name, {"form": ManageLinkForm()})

    def post(self, request):
        if cross_site(request):
            return HttpResponseForbidden()
        form = ManageLinkForm(request.POST)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form}, status=400)
        email = form.cleaned_data["email"]
        if not throttle.allowed(ip=client_address(request), email=email):
            return too_many(request)
        if Subscription.objects.filter(email=email).exists() and throttle.first_mail_this_hour(email):
            tasks.send_manage_link.delay(email, translation.get_language())
        return redirect("alerts:requested")
