"""Hostile input on every URL of the permission matrix: no parameter, path id or form field may make a 500.

For each URL (each view once), as the personas that can reach it in turn: every GET parameter the page
reads — the fields of its GET forms, the parameters its own links carry, and the ones every list
understands (q, page, per, sort, export, …) — and every id in its path, replaced by each hostile value;
each field of a POST case likewise. A refusal (400, 404, a form error) is fine; a 500 is not.
Run on PostgreSQL as well (CI does): large integers and NUL bytes fail differently there.
"""

import re
from html.parser import HTMLParser
from urllib.parse import parse_qsl, quote, urlsplit

import pytest
from django.test import Client
from django.urls import resolve, reverse

from tests.test_permission_matrix import CASES

# Raw (already %-encoded) so that NUL and invalid UTF-8 reach the server as a browser would send them.
HOSTILE = {
    "nul": "%00",
    "superscript_two": "%C2%B2",  # '²'.isdigit() is True, int('²') raises
    "negative": "-1",
    "huge": "99999999999999999999",  # beyond a 64-bit integer
    "long": "9" * 10_000,  # also beyond int()'s 4,300-digit limit
    "invalid_utf8": "%ff%fe",
}
# Parameters lists, exports and pickers read, whether or not a page shows a field for them.
WIDE = ("q", "page", "per", "sort", "export", "round", "unit", "inspection", "status", "download_token", "finding")
WIDE += ("group", "year", "kind", "user", "from", "to", "next", "overdue", "stage", "id", "plan", "township")


class _GetParams(HTMLParser):
    """Names of the fields of a page's GET forms and of the query parameters its links carry."""

    def __init__(self):
        super().__init__()
        self.names, self._in_get_form = set(), False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._in_get_form = (attrs.get("method") or "get").lower() == "get"
        elif tag in {"input", "select", "textarea"} and self._in_get_form and attrs.get("name"):
            self.names.add(attrs["name"])
        elif tag == "a" and "?" in (attrs.get("href") or ""):
            self.names.update(k for k, _ in parse_qsl(urlsplit(attrs["href"]).query, keep_blank_values=True))

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_get_form = False


def _params_read_by(response) -> set[str]:
    if "html" not in response.get("Content-Type", ""):
        return set()
    parser = _GetParams()
    parser.feed(response.content.decode(errors="ignore"))
    return parser.names - {"csrfmiddlewaretoken", "language"}


def _path_variants(path: str):
    """The path with each of its ids (the URL's arguments) replaced by each hostile value."""
    match = resolve(path)
    args = [str(a) for a in [*match.args, *match.kwargs.values()]]
    segments = path.split("/")
    for i, segment in enumerate(segments):
        if segment in args:
            for value in HOSTILE.values():
                yield "/".join([*segments[:i], value, *segments[i + 1 :]])


def _one_case_per_view():
    """The matrix names a view once per group ("… g1", "…_g2_reported"): sweep each view once."""
    seen, cases = set(), []
    for case in CASES:
        view = re.sub(r"[ _](g|group)[12](_\w+)?$", "", case.name)
        if view not in seen:
            seen.add(view)
            cases.append(case)
    return cases


VALUES = list(HOSTILE.values())


def _form_body(fields: dict, hostile: dict) -> str:
    """A form-encoded body written by hand, so that NUL and invalid UTF-8 arrive as the raw bytes a client may send."""
    pairs = [(k, x) for k, v in fields.items() if k not in hostile for x in (v if isinstance(v, list) else [v])]
    return "&".join(
        [*(f"{quote(k)}={quote(str(x))}" for k, x in pairs), *(f"{quote(k)}={v}" for k, v in hostile.items())]
    )


def _with(url: str, param: str, raw: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}{quote(param)}={raw}"


def _sweep(client, world, case) -> list[str]:
    failures = []
    personas = sorted(case.allowed) or ["nobody"]
    clients = {}  # one logged-in client per persona: logging in for every request would double the time
    turn = iter(range(10**9))

    def check(method, url, data=None):
        persona = personas[next(turn) % len(personas)]
        if persona not in clients:
            clients[persona] = Client()
            clients[persona].force_login(world.users[persona])
        client = clients[persona]
        if method == "post" and isinstance(data, str):
            response = client.post(url, data, content_type="application/x-www-form-urlencoded")
        elif method == "post":
            response = client.post(url, data or {})
        else:
            response = client.get(url)
        if response.status_code >= 500:
            failures.append(f"{method.upper()} {url[:200]} -> {response.status_code}")

    url = case.url(world)
    path = urlsplit(url).path
    for hostile_path in _path_variants(path):
        query = urlsplit(url).query
        check(case.method, hostile_path + (f"?{query}" if query else ""), case.data(world) if case.data else None)

    if case.method == "post":
        data = case.data(world) if case.data else {}
        fields = {k: v for k, v in data.items() if isinstance(v, str | int | list)} or {"x": ""}
        # Every field hostile at once, for each value; then each field alone, with the values in turn.
        for raw in HOSTILE.values():
            check("post", case.url(world), _form_body(fields, dict.fromkeys(fields, raw)))
        for i, field in enumerate(fields):
            check("post", case.url(world), _form_body(fields, {field: VALUES[i % len(VALUES)]}))
        check("post", _with(case.url(world), "next", HOSTILE["nul"]), data)
        return failures

    client.force_login(world.users[personas[0]])
    shown = _params_read_by(client.get(url)) | {"q", "page", "per", "sort"}
    # Every parameter at once, the page's own and the ones any list reads, for each hostile value ...
    for raw in HOSTILE.values():
        check("get", url + ("&" if "?" in url else "?") + "&".join(f"{p}={raw}" for p in sorted(shown | set(WIDE))))
    # ... and each the page shows alone (one refused early must not hide another), the values in turn.
    for i, param in enumerate(sorted(shown)):
        check("get", _with(url, param, VALUES[i % len(VALUES)]))
    return failures


@pytest.mark.parametrize("case", _one_case_per_view(), ids=lambda c: c.name)
def test_no_hostile_parameter_makes_a_500(case, world, client):
    failures = _sweep(client, world, case)
    assert not failures, "\n".join(failures)


def test_the_sweep_reads_the_filters_of_a_list(world, client):
    # Without this, a page whose fields the parser missed would be swept with the common parameters only.
    client.force_login(world.users["office"])
    names = _params_read_by(client.get(reverse("rounds:unit_list")))
    assert {"q", "kind"} <= names, names
    assert re.search("township|parent", " ".join(names))


@pytest.mark.parametrize("length", [151, 256, 10_000])
def test_a_login_name_too_long_for_any_account_is_a_form_error(length, db, client, settings):
    # The throttle records failed names (varchar 255 on PostgreSQL): it is on in production, so on here.
    settings.AXES_ENABLED = True
    response = client.post(reverse("login"), {"username": "名" * length, "password": "x"})
    assert response.status_code == 200
    assert response.context["form"].errors


def test_a_nul_byte_anywhere_is_refused_with_400(world, client):
    client.force_login(world.users["office"])
    assert client.get(reverse("rounds:unit_list") + "?q=%00").status_code == 400
    assert client.get(reverse("rounds:unit_list") + "?%00=1").status_code == 400
    assert client.post(reverse("rounds:unit_create"), {"name": "审计局\x00", "kind": "department"}).status_code == 400
    assert client.get(reverse("rounds:unit_list") + "?q=%E5%B1%80").status_code == 200


def test_an_id_in_non_ascii_digits_is_no_id():
    from xuncha.params import parse_id

    assert [parse_id(v) for v in ["12", " 12 ", "²", "١٢", "-1", "1e3", "", None, "9" * 20, "9" * 10_000]] == [
        12,
        12,
        *[None] * 8,
    ]
    assert parse_id(str(2**63 - 1)) == 2**63 - 1
