"""English is complete: every page of the permission matrix, rendered in English for a persona who may open it,
shows no Chinese in its visible text — apart from what users typed (names, titles, units: the data)."""

import html.parser
import re

import pytest
from django.apps import apps
from django.db import models

from tests.matrix import PERSONAS
from tests.test_permission_matrix import CASES

pytestmark = pytest.mark.django_db

HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
# What may stay Chinese in the English UI: the language switcher names its own language.
ALLOWED = ("简体中文",)
PAGES = [c for c in CASES if c.method == "get" and c.allowed and c.ok_status == 200]


class _Visible(html.parser.HTMLParser):
    """Text a reader sees: text nodes outside script/style, and the placeholders, titles and labels of controls."""

    HIDDEN = {"script", "style", "template", "noscript"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.hidden = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self.hidden += 1
        for name, value in attrs:
            if name in ("placeholder", "title", "aria-label", "alt") and value:
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in self.HIDDEN and self.hidden:
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden and data.strip():
            self.parts.append(data.strip())


def _data_strings() -> list[str]:
    """Every text the database holds (what users and the seeds typed), longest first."""
    found = set()
    for model in apps.get_models():
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField) and not f.choices
        ]
        for field in fields:
            found.update(v for v in model._default_manager.values_list(field, flat=True).distinct() if v)
    return sorted(found, key=len, reverse=True)


def untranslated(page: str, data: list[str]) -> list[str]:
    parser = _Visible()
    parser.feed(page)
    text = "\n".join(parser.parts)
    for value in [*data, *ALLOWED]:
        if HAN.search(value):
            text = text.replace(value, "")
    lines = [line for line in text.splitlines() if HAN.search(line)]
    return sorted(set(lines))


def test_every_page_reads_english_in_english(world, client):
    urls = [(case, case.url(world)) for case in PAGES]  # some make the row they open
    data = _data_strings()
    left = {}
    for case, url in urls:
        client.force_login(world.users[next(p for p in PERSONAS if p in case.allowed)])
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
        client.logout()
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        found = untranslated(response.content.decode(), data)
        if found:  # the pages visited so far may have written data (an export's log row): look again with it
            data = _data_strings()
            found = untranslated(response.content.decode(), data)
        if found:
            left[case.name] = found
    assert not left, "\n".join(f"{name}: {lines[:6]}" for name, lines in left.items())
