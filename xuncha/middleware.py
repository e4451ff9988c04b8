"""Project middleware: requests refused before any view reads them, and headers every response gets."""

from django.conf import settings
from django.core.exceptions import BadRequest
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control


class RejectNulBytesMiddleware:
    """A NUL byte in the path, a GET or a POST parameter is refused with 400 before any view sees it.

    No field of the app can hold one: PostgreSQL refuses it in text ("A string literal cannot contain NUL"),
    which turned `?q=%00` on any list, lookup or export into a 500. One check here covers every view."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or _has_nul(request.GET) or (request.method == "POST" and _has_nul(request.POST)):
            raise BadRequest("NUL byte in the request")
        return self.get_response(request)


def _has_nul(query_dict) -> bool:
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in query_dict.lists())


class MethodNotAllowedPageMiddleware:
    """A 405 (a GET of a POST-only address, say) answers with the site's error page, not an empty body.

    Django's require_POST/require_GET return HttpResponseNotAllowed with no content; the other error
    pages come from the handlers (templates/400.html …) and need nothing here."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 405 and not getattr(response, "streaming", False) and not response.content:
            response.content = render_to_string("405.html", request=request)
            response["Content-Type"] = "text/html; charset=utf-8"
        return response


class NoStoreMiddleware:
    """Every answer of the app is sent with `Cache-Control: no-store`: no browser, proxy or shared machine
    keeps a copy of a finding, a clue, a ledger, the dashboard or a downloaded file.

    Nearly every page holds confidential data, and a rule per view is a rule a new view forgets; the few
    pages that hold none (the login page, the error pages) lose nothing by not being cached. Static files
    (hashed names, cached for a year) are answered by WhiteNoise before this middleware and keep theirs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "no-store" not in response.get("Cache-Control", ""):
            patch_cache_control(response, no_store=True)
        return response


class ContentSecurityPolicyMiddleware:
    """Sends settings.CONTENT_SECURITY_POLICY with every answer: only the site's own scripts, styles, fonts and
    images run or load, so text a user typed can never become a script, even if a template forgot to escape it.

    A fixed header needs no nonce (no page has an inline script: data for scripts comes in json_script, which is
    not executed), so a few lines here do what the django-csp package would, without another dependency."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = settings.CONTENT_SECURITY_POLICY

    def __call__(self, request):
        response = self.get_response(request)
        if self.policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = self.policy
        return response
