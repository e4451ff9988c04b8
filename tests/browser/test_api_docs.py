"""The API's documentation pages work under the site's Content-Security-Policy: Swagger UI (split view, no inline
script) and Redoc (its own policy allowing inline styles only) render the schema from local files, with no
violation reported and no request leaving the server."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.test_csp import RECORD_VIOLATIONS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_swagger_and_redoc_render_the_schema_under_the_csp(world, page, log_in, live_server):
    seen, outside = [], []
    page.on("console", lambda m: seen.append(m.text) if "Content Security Policy" in m.text else None)
    local = (live_server.url, f"blob:{live_server.url}")  # Redoc's search worker runs from a blob of this page
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(local) else None)
    page.add_init_script(RECORD_VIOLATIONS)
    log_in("office")

    page.goto(reverse("api:swagger"))
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("xuncha API")
    expect(page.locator(".opblock-tag-section").first).to_be_visible()
    seen += page.evaluate("window.cspViolations || []")

    page.goto(reverse("api:redoc"))
    expect(page.get_by_role("heading", name="xuncha API").first).to_be_visible()
    expect(page.get_by_text("/api/v1/findings/").first).to_be_attached()
    seen += page.evaluate("window.cspViolations || []")

    # Redoc's footer credit always asks for its logo from cdn.redoc.ly: the policy blocks it (Redoc then hides the
    # image), which is the policy doing its job; anything else blocked would be a page that does not work.
    assert not [v for v in seen if "cdn.redoc.ly/redoc/logo-mini.svg" not in v], seen
    assert not [url for url in outside if "cdn.redoc.ly/redoc/logo-mini.svg" not in url], outside
