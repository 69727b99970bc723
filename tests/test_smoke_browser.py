import pytest

pytestmark = pytest.mark.browser


def test_chromium_renders_the_admin_login(live_server, page):
    page.goto(f"{live_server.url}/admin/login/")
    assert page.locator("input[name=username]").is_visible()
