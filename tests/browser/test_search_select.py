"""The 整改台账 at any scale: the 责任部门 filter is searched, not scrolled."""

import re

import pytest

from rounds.choices import UnitKind
from rounds.models import PartyUnit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_office_filters_the_ledger_by_a_unit_found_by_typing(world, page, log_in):
    PartyUnit.objects.bulk_create(PartyUnit(name=f"县直单位{i:03d}", kind=UnitKind.DEPARTMENT) for i in range(50))
    log_in("office")
    page.goto("/rectification/")
    assert page.locator("select[name=unit] option").count() == 1  # not every unit: only 全部责任部门
    g1, g2 = world.g1.task.measure, world.g2.task.measure
    assert page.locator(f"text={g1}").count() == 1 and page.locator(f"text={g2}").count() == 1

    page.fill("#id_unit-ts-control", "财政")
    suggestions = page.locator("#id_unit-ts-dropdown .option")
    suggestions.first.wait_for()
    assert suggestions.all_inner_texts() == ["县财政局党组"]
    suggestions.first.click()
    page.click("button:has-text('查询')")
    page.wait_for_url(re.compile(rf"[?&]unit={world.units.finance.pk}(&|$)"))

    assert page.locator(f"text={g1}").count() == 1
    assert page.locator(f"text={g2}").count() == 0
    assert page.inner_text("#id_unit + .ts-wrapper .item") == "县财政局党组"  # still chosen after the reload
