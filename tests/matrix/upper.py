"""配合上级巡视/巡察: visits for office and leadership; a request for its owner (the liaison here) too."""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from rectification.choices import RequestStatus
from rectification.upper_models import UpperRequest, UpperRequestAttachment, UpperVisit

from . import OVERSEERS, Case

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
OFFICE = frozenset({"office"})
OWNER = frozenset({"liaison"})


def _visit(w):
    visit = UpperVisit.objects.filter(team="省委第三巡视组").first()
    return visit or UpperVisit.objects.create(
        level="province",
        team="省委第三巡视组",
        target="县委",
        start_date=w.today - timedelta(days=5),
        liaison_office="县委办联络组",
        created_by=w.users["office"],
    )


def _request(w, status=RequestStatus.TODO):
    item = UpperRequest.objects.filter(title="调阅三公经费台账").first()
    if item is None:
        item = UpperRequest.objects.create(
            visit=_visit(w),
            kind="documents",
            title="调阅三公经费台账",
            requested_date=w.today - timedelta(days=1),
            owner_unit=w.units.finance,
            owner=w.users["liaison"],
            due_date=w.today + timedelta(days=5),
            created_by=w.users["office"],
        )
    reported = status in (RequestStatus.SUBMITTED, RequestStatus.CONFIRMED)
    UpperRequest.objects.filter(pk=item.pk).update(
        status=status, reply="已提供" if reported else "", submitted_date=w.today if reported else None
    )
    return item


def _attachment(w):
    item = _request(w)
    existing = UpperRequestAttachment.objects.filter(request=item).first()
    return existing or UpperRequestAttachment.objects.create(
        request=item,
        file=SimpleUploadedFile("x.pdf", PDF),
        original_name="台账.pdf",
        size=len(PDF),
        uploaded_by=w.users["liaison"],
    )


def _rectification_request(w):
    """A 问题整改 request of the visit: its problems become tasks of the county (来源 上级巡视巡察)."""
    item = UpperRequest.objects.filter(title="整改违规发放津贴补贴问题").first()
    return item or UpperRequest.objects.create(
        visit=_visit(w),
        kind="rectification",
        title="整改违规发放津贴补贴问题",
        requested_date=w.today - timedelta(days=1),
        owner_unit=w.units.finance,
        owner=w.users["office"],
        due_date=w.today + timedelta(days=30),
        created_by=w.users["office"],
    )


def _upper_task(w):
    """The finance bureau's task from that request: no group's, so no group member opens it."""
    from rectification.models import RectificationTask

    request = _rectification_request(w)
    return request.tasks.first() or RectificationTask.objects.create(
        upper_request=request,
        measure="清退违规发放的津贴补贴",
        responsible_unit=w.units.finance,
        term_type="deadline",
        due_date=w.today + timedelta(days=20),
    )


def _upper_task_count(w):
    return _rectification_request(w).tasks.count()


def _status(w):
    return UpperRequest.objects.get(title="调阅三公经费台账").status


CASES = [
    Case("upper_visit_list", lambda w: reverse("rectification:upper_visit_list"), OVERSEERS),
    Case("upper_visit_detail", lambda w: reverse("rectification:upper_visit_detail", args=[_visit(w).pk]), OVERSEERS),
    Case("upper_visit_create_form", lambda w: reverse("rectification:upper_visit_create"), OFFICE),
    Case("upper_visit_edit_form", lambda w: reverse("rectification:upper_visit_edit", args=[_visit(w).pk]), OFFICE),
    Case("upper_report_word", lambda w: reverse("rectification:upper_report", args=[_visit(w).pk]), OVERSEERS),
    Case(
        "upper_request_create_form",
        lambda w: reverse("rectification:upper_request_create", args=[_visit(w).pk]),
        OFFICE,
    ),
    Case(
        "upper_request_list",
        lambda w: (_request(w), reverse("rectification:upper_request_list"))[1],
        OVERSEERS | OWNER,
    ),
    Case(
        "upper_request_export",
        lambda w: (_request(w), reverse("rectification:upper_request_list") + "?export=xlsx")[1],
        OVERSEERS | OWNER,
    ),
    Case(
        "upper_request_detail",
        lambda w: reverse("rectification:upper_request_detail", args=[_request(w).pk]),
        OVERSEERS | OWNER,
    ),
    Case(
        "upper_request_edit_form",
        lambda w: reverse("rectification:upper_request_edit", args=[_request(w).pk]),
        OFFICE,
    ),
    Case(
        "upper_attachment_download",
        lambda w: reverse("rectification:upper_attachment_download", args=[_attachment(w).pk]),
        OVERSEERS | OWNER,
    ),
    Case(
        "upper_request_start_post",
        lambda w: reverse("rectification:upper_request_transition", args=[_request(w).pk]),
        OFFICE | OWNER,
        method="post",
        data=lambda w: {"to_status": "doing", "expected_status": "todo"},
        ok_status=302,
        extra={"snapshot": _status},
    ),
    Case(
        "upper_request_confirm_post",
        lambda w: reverse("rectification:upper_request_transition", args=[_request(w, RequestStatus.SUBMITTED).pk]),
        OFFICE,
        method="post",
        data=lambda w: {"to_status": "confirmed"},
        ok_status=302,
        extra={"snapshot": _status},
    ),
    # 来源 上级巡视巡察: the office and leadership, the responsible unit's liaison and head; never a group.
    Case(
        "upper_task_detail",
        lambda w: reverse("rectification:task_detail", args=[_upper_task(w).pk]),
        OVERSEERS | {"liaison", "unit_head"},
    ),
    Case(
        "upper_task_create_form",
        lambda w: reverse("rectification:upper_task_create", args=[_rectification_request(w).pk]),
        OFFICE,
    ),
    Case(
        "upper_task_create_post",
        lambda w: reverse("rectification:upper_task_create", args=[_rectification_request(w).pk]),
        OFFICE,
        method="post",
        data=lambda w: {
            "measure": "建立津贴补贴发放审批制度",
            "responsible_unit": w.units.finance.pk,
            "term_type": "deadline",
            "due_date": (w.today + timedelta(days=20)).isoformat(),
        },
        ok_status=302,
        extra={"snapshot": _upper_task_count},
    ),
]
