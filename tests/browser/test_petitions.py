"""The petition journey: received by the group's leader, assigned and closed, turned into a finding by a member
and into a clue by the leader, the inspection's 受理信访件数 following the register; a member never sees who wrote."""

import re

import pytest
from django.urls import reverse

from findings.models import Petition
from rounds.models import Inspection

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SUMMARY = "甲组机密：来信反映某局长违规发放津贴"
PETITIONER = "举报人老王"


def _log_out(page):
    page.click("text=退出")
    page.wait_for_url("**/accounts/login/")


def _counter_on_inspection_page(page, world) -> str:
    page.goto(reverse("rounds:inspection_detail", args=[world.g1.inspection.pk]))
    return page.input_value("#id_petitions")


def test_petition_received_handled_and_turned_into_a_finding_and_a_clue(world, page, log_in):
    inspection = world.g1.inspection
    before = Inspection.objects.get(pk=inspection.pk).petitions

    # The leader receives a letter into the group's register.
    log_in("group1_leader")
    page.click("nav >> text=巡察信访")
    page.click("text=受理信访件")
    page.evaluate(  # the searchable select: set the underlying <select> (with or without its script)
        "([s, v]) => document.querySelector(s).add(new Option('x', v, true, true))",
        ["#id_inspection", str(inspection.pk)],
    )
    page.select_option("#id_channel", "letter")
    page.fill("#id_petitioner_name", PETITIONER)
    page.select_option("#id_subject_unit", label=inspection.unit.name)
    page.fill("#id_subject_person", "某局长")
    page.fill("#id_summary", SUMMARY)
    page.click("button:has-text('保存')")
    page.wait_for_url(re.compile(r"/findings/petitions/\d+/$"))
    assert page.inner_text("[data-testid=petition-status]") == "受理"
    assert PETITIONER in page.inner_text("[data-testid=petitioner]")
    petition_url = page.url

    # The counter on the inspection page follows the register and cannot be typed.
    assert _counter_on_inspection_page(page, world) == "1"
    assert page.is_disabled("#id_petitions")
    assert before == 0 and Inspection.objects.get(pk=inspection.pk).petitions == 1

    # 分办 to the group, then 办结 with the reply.
    page.goto(petition_url)
    page.select_option("#id_route", "group")
    page.click("button:has-text('分办')")
    page.wait_for_selector("[data-testid=petition-status]:has-text('已分办')")
    page.fill("#id_reply", "经核实，问题属实，已纳入问题底稿。")
    page.click("button:has-text('办结')")
    page.wait_for_selector("[data-testid=petition-status]:has-text('办结')")
    assert "已纳入问题底稿" in page.content()
    assert page.locator("[data-testid=petition-events] li").count() == 3
    _log_out(page)

    # A member sees the petition but not who wrote it, and drafts a finding from it in one step.
    log_in("group1_member")
    page.goto(petition_url)
    assert "（保密）" in page.inner_text("[data-testid=petitioner]")
    assert PETITIONER not in page.content()
    page.click("text=转为问题底稿")
    assert page.input_value("#id_description") == SUMMARY
    page.select_option("#id_category", label="违反中央八项规定精神")
    page.fill("#id_title", "违规发放津贴补贴")
    page.click("button:has-text('保存')")
    page.wait_for_url(re.compile(r"/findings/\d+/$"))
    assert "来源信访件" in page.inner_text("[data-testid=petition-backlink]")
    page.click("[data-testid=petition-backlink] a")
    page.wait_for_url(petition_url)
    assert "违规发放津贴补贴" in page.inner_text("[data-testid=petition-finding]")
    assert page.locator("text=转为问题线索").count() == 0  # clues are the leaders'
    _log_out(page)

    # The leader turns it into a clue as well.
    log_in("group1_leader")
    page.goto(petition_url)
    page.click("text=转为问题线索")
    assert page.input_value("#id_person_name") == "某局长"
    page.fill("#id_person_post", "局长")
    page.click("button:has-text('保存')")
    page.wait_for_url(re.compile(r"/findings/clues/\d+/$"))
    assert "来源信访件" in page.inner_text("[data-testid=petition-backlink]")
    petition = Petition.objects.get(summary=SUMMARY)
    assert petition.finding.source == "petition" and petition.clue.people.get().name == "某局长"

    # A second petition: the counter follows again.
    page.goto(reverse("findings:petition_create") + f"?inspection={inspection.pk}")
    page.select_option("#id_channel", "phone")
    page.fill("#id_summary", "甲组机密：电话反映食堂账目不清")
    page.click("button:has-text('保存')")
    page.wait_for_url(re.compile(r"/findings/petitions/\d+/$"))
    assert _counter_on_inspection_page(page, world) == "2"
    _log_out(page)

    # Group 2's leader finds none of it.
    log_in("group2_leader")
    page.click("nav >> text=巡察信访")
    assert "甲组机密" not in page.content() and PETITIONER not in page.content()
    assert page.goto(petition_url).status == 404
