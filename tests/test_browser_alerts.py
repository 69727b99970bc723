"""Following by email in a real browser: the form on an initiative page works with
the keyboard and without JavaScript, the confirmation and management pages work,
and axe finds no violations on them. Screenshots: /tmp/shots/alerts-*.png."""

import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core import mail

from alerts.models import Frequency, Subscription
from tests.factories import InitiativeFactory, StatusUpdateFactory
from tracker.celery import app as celery_app

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path("/tmp/shots")


def assert_no_axe_violations(page, javascript=True):
    """axe runs inside the page's JavaScript, which the no-JS run switches off (the
    check would wait forever); the JS run checks the same pages."""
    if not javascript:
        return
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def path_of(link_name, message):
    return re.search(r"https?://[^/\s]+(/(?:[a-z]{2}/)?alerts/" + link_name + r"/[^/\s]+/)", message.body).group(1)


@pytest.mark.parametrize("javascript", [True, False])
def test_follow_confirm_and_manage_an_initiative(live_server, browser, settings, javascript):
    settings.SITE_URL = live_server.url
    celery_app.conf.task_always_eager = True
    initiative = InitiativeFactory(title="Smart Aqmola", slug="smart-aqmola")
    StatusUpdateFactory(initiative=initiative, headline="Pilot districts chosen")
    SHOTS.mkdir(exist_ok=True)
    page = browser.new_page(java_script_enabled=javascript)

    page.goto(f"{live_server.url}/initiatives/smart-aqmola/")
    form = page.get_by_role("region", name="Follow by email")
    form.get_by_label("Email address").fill("reader@example.org")
    form.get_by_label("A weekly digest").check()
    page.screenshot(path=str(SHOTS / f"alerts-follow-js{int(javascript)}.png"), full_page=True)
    assert_no_axe_violations(page, javascript)
    form.get_by_role("button", name="Follow").click()
    page.wait_for_url("**/alerts/follow/sent/")
    assert page.get_by_role("heading", name="Check your inbox").is_visible()
    assert_no_axe_violations(page, javascript)

    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["reader@example.org"]
    page.goto(live_server.url + path_of("confirm", mail.outbox[0]))
    assert page.get_by_text("Smart Aqmola").is_visible()
    assert_no_axe_violations(page, javascript)
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url("**/alerts/manage/**")
    assert page.get_by_role("status").is_visible()
    subscription = Subscription.objects.get()
    assert subscription.confirmed and subscription.frequency == Frequency.WEEKLY
    page.screenshot(path=str(SHOTS / f"alerts-manage-js{int(javascript)}.png"), full_page=True)
    assert_no_axe_violations(page, javascript)

    page.get_by_role("checkbox", name="Stop this alert").check()
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    assert page.get_by_text("This address follows nothing").is_visible()
    assert not Subscription.objects.exists()
