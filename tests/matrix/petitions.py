"""巡察信访: every URL × every persona, on petitions of group 1, group 2 and the county-wide register.

URLs of state-changing cases put the petition back to 受理 (no finding, no clue) before each attempt."""

from datetime import timedelta

from django.urls import reverse

from findings.choices import PetitionStatus
from findings.models import Petition

from . import GROUP1, GROUP2, OVERSEERS, Case

READERS = OVERSEERS | GROUP1 | GROUP2
G1_HANDLERS = frozenset({"office", "group1_leader"})


def _petition(w, n):
    side = {0: None, 1: w.g1, 2: w.g2}[n]  # 0: the office's county-wide register
    summary = f"{side.marker}信访件" if side else "全县信访件"
    petition = Petition.objects.filter(summary=summary).first()
    if petition is None:
        petition = Petition.objects.create(
            inspection=side.inspection if side else None,
            received_date=w.today - timedelta(days=2),
            channel="letter",
            petitioner_name=f"{side.marker}举报人" if side else "县里举报人",
            summary=summary,
            created_by=w.users["office"],
        )
    return petition


def _fresh(w, n=1):
    petition = _petition(w, n)
    Petition.objects.filter(pk=petition.pk).update(
        status=PetitionStatus.RECEIVED,
        route="",
        assigned_date=None,
        closed_date=None,
        reply="",
        finding=None,
        clue=None,
    )
    return petition


def _url(name, n=1, fresh=False):
    return lambda w: reverse(f"findings:{name}", args=[(_fresh(w, n) if fresh else _petition(w, n)).pk])


def _g1(w):
    return Petition.objects.get(pk=_petition(w, 1).pk)


CASES = [
    Case("petition_list", lambda w: reverse("findings:petition_list"), READERS),
    Case(
        "petition_list_filtered",
        lambda w: reverse("findings:petition_list") + "?channel=letter&status=received&q=信访",
        READERS,
    ),
    Case("petition_list_export", lambda w: reverse("findings:petition_list") + "?export=xlsx", READERS),
    Case("petition_detail_g1", _url("petition_detail", 1), OVERSEERS | GROUP1),
    Case("petition_detail_g2", _url("petition_detail", 2), OVERSEERS | GROUP2),
    Case("petition_detail_county", _url("petition_detail", 0), OVERSEERS),
    Case(
        "petition_create_form",
        lambda w: reverse("findings:petition_create"),
        {"office", "group1_leader", "group2_leader"},
    ),
    Case(
        "petition_create_post_g1",
        lambda w: reverse("findings:petition_create"),
        G1_HANDLERS,
        method="post",
        data=lambda w: {
            "inspection": w.g1.inspection.pk,
            "received_date": w.today.isoformat(),
            "channel": "phone",
            "summary": "甲组机密来电",
        },
        ok_status=302,
        extra={"snapshot": lambda w: Petition.objects.filter(inspection=w.g1.inspection).count()},
    ),
    Case("petition_edit_form_g1", _url("petition_edit", 1, fresh=True), G1_HANDLERS),
    Case(
        "petition_edit_post_g1",
        _url("petition_edit", 1, fresh=True),
        G1_HANDLERS,
        method="post",
        data=lambda w: {
            "received_date": (w.today - timedelta(days=2)).isoformat(),
            "channel": "letter",
            "petitioner_name": "甲组机密举报人",
            "summary": "甲组机密信访件（改）",
        },
        ok_status=302,
        extra={"snapshot": lambda w: Petition.objects.filter(summary="甲组机密信访件（改）").count()},
    ),
    Case(
        "petition_transition_post_g1",
        _url("petition_transition", 1, fresh=True),
        G1_HANDLERS,
        method="post",
        data=lambda w: {"to_status": "assigned", "on": w.today.isoformat(), "route": "retain"},
        ok_status=302,
        extra={"snapshot": lambda w: _g1(w).status},
    ),
    Case("petition_to_finding_form_g1", _url("petition_to_finding", 1, fresh=True), GROUP1),
    Case(
        "petition_to_finding_post_g1",
        _url("petition_to_finding", 1, fresh=True),
        GROUP1,
        method="post",
        data=lambda w: {"category": w.category.pk, "title": "甲组机密信访问题", "description": "详情"},
        ok_status=302,
        extra={"snapshot": lambda w: _g1(w).finding_id},
    ),
    Case("petition_to_clue_form_g1", _url("petition_to_clue", 1, fresh=True), {"group1_leader"}),
    Case(
        "petition_to_clue_post_g1",
        _url("petition_to_clue", 1, fresh=True),
        {"group1_leader"},
        method="post",
        data=lambda w: {"summary": "甲组机密线索", "receiving_body": "discipline", "person_name": "某人"},
        ok_status=302,
        extra={"snapshot": lambda w: _g1(w).clue_id},
    ),
]
