"""Which language a request is answered in.

Public pages, feeds and CSV carry the language in their URL (i18n_patterns:
English unprefixed, /ru/... and /kk/...), and only there: an unprefixed page is
English whatever the headers or cookies say, so one URL is one page that any
shared cache may keep (no Vary: Cookie, no Vary: Accept-Language). A reader who
chose Russian or Kazakh with the switcher (a cookie, set by Django's set_language)
and comes back to the front page ``/`` is sent to ``/ru/`` or ``/kk/``; every link
from there carries the prefix. The API has no
prefix: it answers in the language of ``?lang=`` or else of Accept-Language (no
cookie, so one URL + headers gives one answer); the admin follows the cookie,
then Accept-Language.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpResponseRedirect
from django.middleware import locale
from django.utils import translation
from django.utils.cache import cc_delim_re, patch_cache_control
from django.utils.translation import trans_real
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

API_PREFIX = "/api/"
LANGUAGE_PARAM = "lang"
# Outside i18n_patterns: no language prefix, the language is negotiated.
FRONT_PAGE = "/"
UNPREFIXED = (API_PREFIX, "/admin/", "/healthz", "/i18n/", f"/{settings.STATIC_URL.lstrip('/')}")


def supported_language(code):
    """The site's language for a code ("ru", "ru-RU", "kk-kz"), or None."""
    if not code:
        return None
    try:
        return translation.get_supported_language_variant(code.strip().lower())
    except LookupError:
        return None


def accepted_language(header):
    """The first supported language of an Accept-Language header, or the default."""
    for code, _quality in trans_real.parse_accept_lang_header(header or ""):
        if code == "*":
            break
        language = supported_language(code)
        if language:
            return language
    return settings.LANGUAGE_CODE


def api_language(request):
    return supported_language(request.GET.get(LANGUAGE_PARAM)) or accepted_language(
        request.META.get("HTTP_ACCEPT_LANGUAGE")
    )


def remembered_language(request):
    """The language the reader chose with the switcher (a cookie), or None."""
    return supported_language(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))


def is_public_page(path):
    return not path.startswith(UNPREFIXED)


class LocaleMiddleware(locale.LocaleMiddleware):
    def process_request(self, request):
        path = request.path_info
        if is_public_page(path):
            super().process_request(request)
            return self.remembered_language_redirect(request)
        if path.startswith(API_PREFIX):
            language = api_language(request)
        else:
            language = translation.get_language_from_request(request, check_path=False)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        return None

    def remembered_language_redirect(self, request):
        """The front page asked for by a reader whose chosen language is another one: the
        front page in that language. Only there, so that no other page depends on a
        cookie (nginx passes ``/`` with the cookie by, docs/deploy.md)."""
        if request.method not in ("GET", "HEAD") or request.path_info != FRONT_PAGE:
            return None
        chosen = remembered_language(request)
        if not chosen or chosen == settings.LANGUAGE_CODE:
            return None
        response = HttpResponseRedirect(f"/{chosen}{request.get_full_path()}")
        patch_cache_control(response, private=True, max_age=0)
        return response

    def process_response(self, request, response):
        response = super().process_response(request, response)
        if is_public_page(request.path_info) and response.has_header("Vary"):
            # Django varies unprefixed pages on Accept-Language; here the path alone decides.
            kept = [v for v in cc_delim_re.split(response["Vary"]) if v.strip().lower() != "accept-language"]
            if kept:
                response["Vary"] = ", ".join(kept)
            else:
                del response["Vary"]
        return response


@csrf_exempt
def switch_language(request):
    """Django's set_language, reading ``next`` in its own language first: the page's
    prefix (none for English) only resolves while that language is active, and
    set_language must resolve it to send the reader to the same page in the new one.

    It changes nothing but the reader's own language cookie, so it needs no CSRF
    token; pages then carry no per-request token and keep their ETags (304)."""
    next_url = request.POST.get("next", request.GET.get("next")) or ""
    page_language = translation.get_language_from_path(urlsplit(next_url).path) or settings.LANGUAGE_CODE
    translation.activate(page_language)
    return set_language(request)
