"""Findings and clues: every URL × every persona, on objects of group 1 and group 2.

POST cases carry `extra={"snapshot": world -> value}`: tests/test_findings_refused_writes.py checks
that a refused persona changes nothing. URLs of state-changing cases put the object back in the state
the case needs before each persona's attempt, so each attempt is judged on its own.
"""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from findings.choices import ClueStatus, ReviewState
from findings.models import Clue, CluePerson, Evidence, Finding

from . import GROUP1, GROUP2, OVERSEERS, Case

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

FINDING_READERS = OVERSEERS | GROUP1 | GROUP2 | {"liaison"}
CLUE_READERS = OVERSEERS | {"group1_leader", "group2_leader", "jiwei"}


def _at_state(finding, state):
    Finding.objects.filter(pk=finding.pk).update(review_state=state)
    return finding


def _evidence(w):
    """An evidence file on group 1's reported finding (a unit liaison sees that finding, not its evidence)."""
    existing = Evidence.objects.filter(finding=w.g1.finding).first()
    if existing:
        return existing
    return Evidence.objects.create(
        finding=w.g1.finding,
        file=SimpleUploadedFile("谈话记录.pdf", PDF),
        original_name="甲组机密谈话记录.pdf",
        size=len(PDF),
        uploaded_by=w.users["group1_member"],
    )


def _draft_clue(w):
    """A clue of group 1 not yet transferred, reset before each attempt."""
    clue = Clue.objects.filter(inspection=w.g1.inspection, letter_number="").first()
    if clue is None:
        clue = Clue.objects.create(
            inspection=w.g1.inspection,
            summary="甲组机密待移交线索",
            receiving_body="discipline",
            created_by=w.users["group1_leader"],
        )
        CluePerson.objects.create(clue=clue, name="甲组机密李某")
    Clue.objects.filter(pk=clue.pk).update(
        status=ClueStatus.DRAFT, transfer_date=None, feedback_due_date=None, letter_number=""
    )
    return clue


def _transferred_clue(w):
    Clue.objects.filter(pk=w.g1.clue.pk).update(
        status=ClueStatus.TRANSFERRED, disposition="", outcome="", answered_date=None
    )
    return w.g1.clue


def _finding_url(name, which, state=None):
    def url(w):
        finding = getattr(w.g1 if which.startswith("g1") else w.g2, which.split(".")[1])
        if state:
            _at_state(finding, state)
        return reverse(f"findings:{name}", args=[finding.pk])

    return url


def _state(w, finding_attr="draft"):
    return Finding.objects.get(pk=getattr(w.g1, finding_attr).pk).review_state


def _finding_data(w):
    return {
        "inspection": w.g1.inspection.pk,
        "category": w.category.pk,
        "title": "新起草的问题",
        "description": "问题描述",
        "source": "interview",
    }


CASES = [
    # --- findings: reads ---
    Case("finding_list", lambda w: reverse("findings:finding_list"), FINDING_READERS),
    Case(
        "finding_list_search",
        lambda w: reverse("findings:finding_list") + "?q=三重一大&review_state=reported",
        FINDING_READERS,
    ),
    Case("finding_detail_g1_reported", _finding_url("finding_detail", "g1.finding"), OVERSEERS | GROUP1 | {"liaison"}),
    Case("finding_detail_g1_draft", _finding_url("finding_detail", "g1.draft"), OVERSEERS | GROUP1),
    Case("finding_detail_g2_reported", _finding_url("finding_detail", "g2.finding"), OVERSEERS | GROUP2),
    Case(
        "evidence_download_g1",
        lambda w: reverse("findings:evidence_download", args=[_evidence(w).pk]),
        OVERSEERS | GROUP1,
    ),
    # --- findings: writes ---
    Case("finding_create_form", lambda w: reverse("findings:finding_create"), GROUP1 | GROUP2),
    Case(
        "finding_create_post_g1",
        lambda w: reverse("findings:finding_create"),
        GROUP1,
        method="post",
        data=_finding_data,
        ok_status=302,
        extra={"snapshot": lambda w: Finding.objects.filter(inspection=w.g1.inspection).count()},
    ),
    Case("finding_edit_form_g1_draft", _finding_url("finding_edit", "g1.draft", ReviewState.DRAFT), GROUP1),
    Case(
        "finding_edit_post_g1_draft",
        _finding_url("finding_edit", "g1.draft", ReviewState.DRAFT),
        GROUP1,
        method="post",
        data=lambda w: {**_finding_data(w), "title": "甲组机密草稿：改过的标题"},
        ok_status=302,
        extra={"snapshot": lambda w: Finding.objects.get(pk=w.g1.draft.pk).title},
    ),
    Case(
        "finding_submit_g1_draft",
        _finding_url("finding_transition", "g1.draft", ReviewState.DRAFT),
        GROUP1,
        method="post",
        data=lambda w: {"to_state": ReviewState.DEPUTY_REVIEW, "comment": "请复核"},
        ok_status=302,
        extra={"snapshot": _state},
    ),
    Case(
        "finding_review_g1",
        _finding_url("finding_transition", "g1.draft", ReviewState.DEPUTY_REVIEW),
        {"group1_leader"},  # no deputy in group 1: the leader does the deputy's step
        method="post",
        data=lambda w: {"to_state": ReviewState.LEADER_SIGN, "comment": "属实"},
        ok_status=302,
        extra={"snapshot": _state},
    ),
    Case(
        "finding_sign_g1",
        _finding_url("finding_transition", "g1.draft", ReviewState.LEADER_SIGN),
        {"group1_leader"},
        method="post",
        data=lambda w: {"to_state": ReviewState.REPORTED, "comment": "同意"},
        ok_status=302,
        extra={"snapshot": _state},
    ),
    Case(
        "finding_send_back_g1",
        _finding_url("finding_transition", "g1.draft", ReviewState.LEADER_SIGN),
        {"group1_leader"},
        method="post",
        data=lambda w: {"to_state": ReviewState.DRAFT, "comment": "证据不足，补充谈话记录"},
        ok_status=302,
        extra={"snapshot": _state},
    ),
    Case(
        "evidence_upload_g1_draft",
        _finding_url("evidence_upload", "g1.draft", ReviewState.DRAFT),
        GROUP1,
        method="post",
        data=lambda w: {"files": SimpleUploadedFile("记录.pdf", PDF)},
        ok_status=302,
        extra={"snapshot": lambda w: Evidence.objects.filter(finding=w.g1.draft).count()},
    ),
    # --- clues: reads ---
    Case("clue_list", lambda w: reverse("findings:clue_list"), CLUE_READERS),
    Case("clue_list_overdue", lambda w: reverse("findings:clue_list") + "?overdue=on&status=transferred", CLUE_READERS),
    Case(
        "clue_detail_g1",
        lambda w: reverse("findings:clue_detail", args=[w.g1.clue.pk]),
        OVERSEERS | {"group1_leader", "jiwei"},
    ),
    Case(
        "clue_detail_g2", lambda w: reverse("findings:clue_detail", args=[w.g2.clue.pk]), OVERSEERS | {"group2_leader"}
    ),  # went to the organisation department, not jiwei's body
    Case(
        "clue_detail_g1_draft",
        lambda w: reverse("findings:clue_detail", args=[_draft_clue(w).pk]),
        OVERSEERS | {"group1_leader"},
    ),  # not yet transferred: the body does not see it
    # --- clues: writes ---
    Case("clue_create_form", lambda w: reverse("findings:clue_create"), {"group1_leader", "group2_leader"}),
    Case(
        "clue_create_post_g1",
        lambda w: reverse("findings:clue_create"),
        {"group1_leader"},
        method="post",
        data=lambda w: {
            "inspection": w.g1.inspection.pk,
            "summary": "新线索",
            "finding": w.g1.finding.pk,
            "receiving_body": "discipline",
            "people-TOTAL_FORMS": "1",
            "people-INITIAL_FORMS": "0",
            "people-MIN_NUM_FORMS": "1",
            "people-MAX_NUM_FORMS": "1000",
            "people-0-name": "王某",
            "people-0-post": "科长",
        },
        ok_status=302,
        extra={"snapshot": lambda w: Clue.objects.filter(inspection=w.g1.inspection).count()},
    ),
    Case("clue_edit_form_g1", lambda w: reverse("findings:clue_edit", args=[_draft_clue(w).pk]), {"group1_leader"}),
    Case(
        "clue_transfer_form_g1",
        lambda w: reverse("findings:clue_transfer", args=[_draft_clue(w).pk]),
        {"group1_leader"},
    ),
    Case(
        "clue_transfer_post_g1",
        lambda w: reverse("findings:clue_transfer", args=[_draft_clue(w).pk]),
        {"group1_leader"},
        method="post",
        data=lambda w: {
            "receiving_body": "discipline",
            "letter_number": "县巡〔2025〕9号",
            "transfer_date": (w.today - timedelta(days=1)).isoformat(),
        },
        ok_status=302,
        extra={"snapshot": lambda w: Clue.objects.filter(inspection=w.g1.inspection, status="draft").count()},
    ),
    Case(
        "clue_disposition_form_g1",
        lambda w: reverse("findings:clue_disposition", args=[_transferred_clue(w).pk]),
        {"jiwei"},
    ),
    Case(
        "clue_disposition_post_g1",
        lambda w: reverse("findings:clue_disposition", args=[_transferred_clue(w).pk]),
        {"jiwei"},
        method="post",
        data=lambda w: {"disposition": "verify", "outcome": "case", "answered_date": w.today.isoformat()},
        ok_status=302,
        extra={"snapshot": lambda w: Clue.objects.get(pk=w.g1.clue.pk).status},
    ),
    Case(
        "clue_disposition_post_g2",
        lambda w: reverse("findings:clue_disposition", args=[w.g2.clue.pk]),
        frozenset(),  # organisation department's clue: jiwei (discipline) may not touch it
        method="post",
        data=lambda w: {"disposition": "verify"},
        extra={"snapshot": lambda w: Clue.objects.get(pk=w.g2.clue.pk).disposition},
    ),
    # --- lookups of the searchable selects: the filter's readers, the drafters ---
    Case("lookup_finding_inspections", lambda w: reverse("findings:lookup_finding_inspections"), FINDING_READERS),
    Case("lookup_clue_inspections", lambda w: reverse("findings:lookup_clue_inspections"), CLUE_READERS),
    Case("lookup_drafting_inspections", lambda w: reverse("findings:lookup_drafting_inspections"), GROUP1 | GROUP2),
]
