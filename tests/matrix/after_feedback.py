"""After the feedback: the unit's documents, assessments, outcomes and the results sheet × every persona.

zuzhibu is 组织部's supervising liaison, narrowed to group 2's unit (县教育局党组): it reads that unit's
documents, assessment and outcomes, read-only, and gets 404 for group 1's unit."""

from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from . import GROUP1, GROUP2, OVERSEERS, Case

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
OFFICE = frozenset({"office"})
DOC_READERS = OVERSEERS | GROUP1 | GROUP2 | {"liaison", "zuzhibu"}
G1_DOCS = OVERSEERS | GROUP1 | {"liaison"}
G2_DOCS = OVERSEERS | GROUP2 | {"zuzhibu"}
SUPERVISING_G2 = OVERSEERS | {"zuzhibu"}


def _url(name, *args):
    return reverse(f"rectification:{name}", args=args)


def _doc(w, side="g1", kind="plan", status=None):
    from rectification.models import UnitDocument

    doc = UnitDocument.objects.get(feedback=getattr(w, side).feedback, kind=kind)
    if status is not None:
        UnitDocument.objects.filter(pk=doc.pk).update(
            status=status,
            first_submitted_on=None if status == "pending" else w.today,
            accepted_at=timezone.now() if status == "accepted" else None,
        )
    return doc


def _doc_file(w):
    from rectification.models import DocumentFile, DocumentSubmission

    if not hasattr(w, "doc_file"):
        sub = DocumentSubmission.objects.create(document=_doc(w), text="方案", author=w.users["liaison"])
        w.doc_file = DocumentFile(submission=sub, original_name="甲组机密整改方案.pdf", size=len(PDF))
        w.doc_file.file.save("x.pdf", SimpleUploadedFile("x.pdf", PDF), save=True)
    return _url("document_file_download", w.doc_file.pk)


def _assessment(w, side):
    from rectification.models import Assessment, AssessmentFile, LookbackProposal

    inspection = getattr(w, side).inspection
    a, created = Assessment.objects.get_or_create(
        inspection=inspection,
        defaults={
            "unit": inspection.unit,
            "assessed_on": w.today,
            "score": Decimal("55"),
            "grade": "fail",
            "evidence": f"{getattr(w, side).marker}评估依据",
            "assessor": w.users["office"],
        },
    )
    if created:
        LookbackProposal.objects.create(assessment=a, unit=a.unit)
        stored = AssessmentFile(assessment=a, original_name="评估.pdf", size=len(PDF))
        stored.file.save("x.pdf", SimpleUploadedFile("x.pdf", PDF), save=True)
    return a


def _proposal(w):
    from rectification.models import LookbackProposal

    a = _assessment(w, "g1")
    LookbackProposal.objects.filter(assessment=a).update(status="proposed", decided_at=None, decided_by=None)
    return _url("proposal_decide", a.lookback_proposal.pk)


def _assessment_file(w):
    return _url("assessment_file_download", _assessment(w, "g2").files.first().pk)


def _submit_data(w):
    return {"expected_status": "pending", "text": "整改方案", "files": [SimpleUploadedFile("方案.pdf", PDF)]}


CASES = [
    Case("document_list", lambda w: _url("document_list"), DOC_READERS),
    Case("feedback_detail_g1", lambda w: _url("feedback_detail", w.g1.feedback.pk), G1_DOCS),
    Case("feedback_detail_g2", lambda w: _url("feedback_detail", w.g2.feedback.pk), G2_DOCS),
    Case("document_detail_g1", lambda w: _url("document_detail", _doc(w).pk), G1_DOCS),
    Case("document_detail_g2", lambda w: _url("document_detail", _doc(w, "g2").pk), G2_DOCS),
    Case(
        "document_submit_g1",
        lambda w: _url("document_submit", _doc(w, status="pending").pk),
        OFFICE | {"liaison"},
        method="post",
        data=_submit_data,
        ok_status=302,
    ),
    Case(
        "document_submit_g2",
        lambda w: _url("document_submit", _doc(w, "g2", status="pending").pk),
        OFFICE,  # not the liaison's unit; 组织部 reads only
        method="post",
        data=_submit_data,
        ok_status=302,
    ),
    Case(
        "document_review_g1",
        lambda w: _url("document_review", _doc(w, status="submitted").pk),
        OFFICE,
        method="post",
        data=lambda w: {"expected_status": "submitted", "to_status": "accepted"},
        ok_status=302,
    ),
    Case("document_file_download", _doc_file, G1_DOCS),
    Case("assessment_list", lambda w: _url("assessment_list"), SUPERVISING_G2),
    Case("assessment_detail_g1", lambda w: _url("assessment_detail", _assessment(w, "g1").pk), OVERSEERS),
    Case("assessment_detail_g2", lambda w: _url("assessment_detail", _assessment(w, "g2").pk), SUPERVISING_G2),
    Case("assessment_file_download", _assessment_file, SUPERVISING_G2),
    Case("assessment_create", lambda w: _url("assessment_create", w.g1.inspection.pk), OFFICE),
    Case("assessment_settings", lambda w: _url("assessment_settings"), OFFICE),
    Case("proposal_decide", _proposal, OFFICE, method="post", data=lambda w: {"status": "accepted"}, ok_status=302),
    Case("inspection_outcomes_g1", lambda w: _url("inspection_outcomes", w.g1.inspection.pk), OVERSEERS),
    Case("inspection_outcomes_g2", lambda w: _url("inspection_outcomes", w.g2.inspection.pk), SUPERVISING_G2),
    Case(
        "inspection_outcome_add",
        lambda w: _url("inspection_outcome_add", w.g2.inspection.pk, "outcome"),
        OFFICE,
        method="post",
        data=lambda w: {"rules_count": "1", "funds_recovered": "0"},
        ok_status=302,
    ),
]

CASES += [
    Case("results_sheet", lambda w: _url("results_sheet"), SUPERVISING_G2),
    Case("results_sheet_xlsx", lambda w: _url("results_sheet") + "?export=xlsx", SUPERVISING_G2),
    Case("results_sheet_docx", lambda w: _url("results_sheet") + "?export=docx", SUPERVISING_G2),
]


def _supervisor(w):
    from rectification.models import SupervisingLiaison

    return _url("supervisor_edit", SupervisingLiaison.objects.get(user=w.users["zuzhibu"]).pk)


CASES += [
    Case("supervisor_list", lambda w: _url("supervisor_list"), OFFICE),
    Case("supervisor_edit", _supervisor, OFFICE),
]
