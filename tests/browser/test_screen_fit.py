"""Fits the screen and the language: the top menu is one row at 1366 px in Chinese and in English, and on a
390 px phone a list scrolls sideways with every column at least as wide as its header's first word."""

import pytest
from django.urls import reverse

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MENU = """() => {
  const nav = document.querySelector("nav.navbar");
  const items = [...nav.querySelectorAll(".navbar-brand, .navbar-nav > .nav-item")].filter((e) => e.offsetParent);
  const boxes = items.map((e) => e.getBoundingClientRect());
  const firstRowBottom = Math.min(...boxes.map((b) => b.bottom));
  return {
    items: items.length,
    strays: items.filter((e, i) => boxes[i].top + boxes[i].height / 2 > firstRowBottom).map((e) => e.innerText.trim()),
    height: nav.getBoundingClientRect().height,
    right: Math.max(...boxes.map((b) => b.right)),
    scrollWidth: document.documentElement.scrollWidth,
  };
}"""

# For each header: its width, and the width its first word needs on one line (a Range over that word).
COLUMNS = """() => [...document.querySelectorAll("main table.table thead th")]
  .filter((th) => th.offsetParent).map((th) => {
  const text = th.innerText.trim();
  const word = text.split(/\\s+/)[0];
  const node = [...th.querySelectorAll("*"), th].flatMap((e) => [...e.childNodes]).find(
    (n) => n.nodeType === Node.TEXT_NODE && n.textContent.includes(word));
  let need = 0;
  if (node) {
    const range = document.createRange();
    const start = node.textContent.indexOf(word);
    range.setStart(node, start);
    range.setEnd(node, start + word.length);
    need = range.getBoundingClientRect().width;
  }
  return {text, width: th.getBoundingClientRect().width, need};
})"""


def _in(page, language):
    if language == "en":
        with page.expect_navigation():
            page.select_option("#language-switcher", "en")


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("persona", ["office", "group1_leader"])
def test_the_menu_is_one_row_at_1366_pixels(world, page, log_in, persona, language):
    page.set_viewport_size({"width": 1366, "height": 768})
    log_in(persona)
    _in(page, language)
    menu = page.evaluate(MENU)
    assert menu["items"] >= 6
    assert menu["strays"] == [], menu  # nothing on a second row
    assert menu["height"] < 70, menu
    assert menu["right"] <= 1366 and menu["scrollWidth"] <= 1366, menu


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_list_at_390_pixels_keeps_its_columns_readable(world, page, log_in, language):
    log_in("office")
    _in(page, language)  # from the wide menu; on the phone it folds behind the toggler
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(reverse("rectification:task_list"))
    columns = page.evaluate(COLUMNS)
    assert len(columns) >= 5
    for column in columns:
        assert column["width"] + 0.5 >= column["need"], column  # no header broken inside its first word
        assert column["width"] >= 50, column  # never a one-character column
    # The page itself does not scroll sideways: the table does, inside its own box.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # The menu folds behind its toggler.
    assert page.locator("nav.navbar .navbar-toggler").is_visible()
