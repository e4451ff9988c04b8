"""The English catalogue: complete, compiled, and actually served when English is chosen."""

import gettext
import re

import polib
import pytest
from django.conf import settings
from django.urls import reverse

PO = settings.BASE_DIR / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")

# %(name)s, %s, %d, %(size).1f, %% — what Python's %-formatting substitutes.
PLACEHOLDER = re.compile(r"%(?:\([^)]+\))?[-#0 +]*\d*(?:\.\d+)?[sdfr%]")


@pytest.fixture(scope="module")
def po():
    return polib.pofile(str(PO))


def _strings(entry):
    if entry.msgid_plural:
        return [entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural)]
    return [entry.msgstr]


def test_every_entry_is_translated(po):
    assert len(po) > 0
    assert not po.metadata_is_fuzzy
    fuzzy = [e.msgid for e in po if "fuzzy" in e.flags]
    untranslated = [e.msgid for e in po if not all(s.strip() for s in _strings(e))]
    obsolete = [e.msgid for e in po.obsolete_entries()]
    assert not fuzzy, f"fuzzy entries: {fuzzy}"
    assert not untranslated, f"untranslated entries: {untranslated}"
    assert not obsolete, f"obsolete entries left in the catalogue: {obsolete}"


def test_plural_entries_have_both_forms(po):
    for e in po:
        if e.msgid_plural:
            assert sorted(e.msgstr_plural) == [0, 1], e.msgid


def test_translations_keep_their_placeholders(po):
    for e in po:
        for s in _strings(e):
            assert sorted(PLACEHOLDER.findall(e.msgid)) == sorted(PLACEHOLDER.findall(s)), (e.msgid, s)


def test_no_chinese_left_in_translations(po):
    # Only the values a user must type in Chinese (是/否 in the Excel import) may appear, quoted.
    han = re.compile(r"[\u4e00-\u9fff]")
    for e in po:
        for s in _strings(e):
            assert not han.search(s.replace('"是"', "").replace('"否"', "")), (e.msgid, s)


def test_mo_is_compiled_from_the_current_po(po):
    with MO.open("rb") as fh:
        mo = gettext.GNUTranslations(fh)
    compiled = {k: v for k, v in mo._catalog.items() if k != ""}
    expected = {}
    for e in po:
        key = f"{e.msgctxt}\x04{e.msgid}" if e.msgctxt else e.msgid  # how gettext keys context entries
        if e.msgid_plural:
            expected.update({(key, n): s for n, s in e.msgstr_plural.items()})
        else:
            expected[key] = e.msgstr
    assert compiled == expected, "django.mo is stale: run `make messages` (or compilemessages) and commit it"


def test_login_page_in_english(client):
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Log in" in page
    assert "Inspection Work Management System" in page
    assert "登录" not in page


def test_login_page_stays_chinese_by_default(client):
    page = client.get(reverse("login")).content.decode()
    assert "登录" in page
    assert "Log in" not in page


def test_language_switcher_turns_the_office_landing_page_english(client, world):
    client.force_login(world.users["office"])
    home = client.get(reverse("home")).content.decode()
    assert "巡察办工作人员" in home
    assert 'action="/i18n/setlang/"' in home  # the switcher in the top bar

    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("home")})
    assert response.status_code == 302

    home = client.get(reverse("home")).content.decode()
    assert "Inspection office staff" in home
    assert "Inspection target register" in home
    assert "Rectification ledger" in home
    assert "Log out" in home
    assert "巡察办工作人员" not in home
    assert "维护被巡察党组织名录" not in home


def test_dashboard_headline_figures_in_english(client, world):
    client.force_login(world.users["office"])
    page = client.get(reverse("dashboard:index"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Coverage and rectification dashboard" in page
    assert "reported findings" in page and "involving the key minority" in page
    assert "with feedback overdue" in page
    for fragment in ("个，涉及关键少数", "件，反馈逾期"):
        assert fragment not in page
