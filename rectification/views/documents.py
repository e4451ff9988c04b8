"""The unit's documents after the feedback: the feedback as the unit sees it, submit, review, download."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xuncha.forms import add_service_errors, refused_as_404
from xuncha.history import history_entries
from xuncha.paging import paginate

from .. import after_selectors as selectors
from .. import document_workflow as dw
from .. import services
from ..after_filtersets import DocumentFilterSet
from ..after_forms import DocumentReviewForm, DocumentSubmitForm
from ..choices import DOCUMENT_STATUS_COLOURS, TIMELINESS_COLOURS, DocumentStatus
from .common import error_text


def require_documents(user):
    if not selectors.reads_documents(user):
        raise Http404


@login_required
def document_list(request):
    """整改文书: per inspection, whether each document the unit owes is in on time, late, or missing."""
    require_documents(request.user)
    today = timezone.localdate()
    feedbacks = selectors.feedback_documents(user=request.user, today=today)
    filterset = DocumentFilterSet(request.GET, queryset=feedbacks, request=request, today=today)
    return render(
        request,
        "rectification/document_list.html",
        {"form": filterset.form, "page": paginate(request, filterset.qs), "t_colours": TIMELINESS_COLOURS},
    )


@login_required
def feedback_detail(request, pk):
    """The feedback as its unit sees it: the date, the problem list handed over, the deadlines it started."""
    require_documents(request.user)
    feedback = selectors.feedback_get(user=request.user, pk=pk)
    today = timezone.localdate()
    docs = selectors.documents_annotated(feedback.documents.all(), today).order_by("kind")
    return render(
        request,
        "rectification/feedback_detail.html",
        {
            "feedback": feedback,
            "findings": feedback.findings.select_related("category").order_by("seq"),
            "docs": docs,
            "colours": DOCUMENT_STATUS_COLOURS,
            "t_colours": TIMELINESS_COLOURS,
        },
    )


def _detail(request, document, submit_form=None, status=200):
    today = timezone.localdate()
    roles = dw.roles_on(request.user, document)
    context = {
        "doc": document,
        "timeliness": document.timeliness(today),
        "colours": DOCUMENT_STATUS_COLOURS,
        "t_colours": TIMELINESS_COLOURS,
        "submissions": document.submissions.select_related("author").prefetch_related("files"),
        "events": document.events.select_related("actor"),
        "history": history_entries(document),
        "can_submit": dw.can_submit(roles, document.status),
        "moves": dw.review_moves(roles, document.status),
        "submit_form": submit_form or DocumentSubmitForm(initial={"expected_status": document.status}),
    }
    return render(request, "rectification/document_detail.html", context, status=status)


@login_required
def document_detail(request, pk):
    require_documents(request.user)
    return _detail(request, selectors.document_get(user=request.user, pk=pk))


@login_required
@require_POST
def document_submit(request, pk):
    require_documents(request.user)
    document = selectors.document_get(user=request.user, pk=pk)
    if not dw.roles_on(request.user, document):
        raise Http404  # only the unit's liaison and the office ever submit; for anyone else nothing is here
    form = DocumentSubmitForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            with refused_as_404():
                services.document_submit(
                    actor=request.user,
                    document=document,
                    text=form.cleaned_data["text"],
                    files=form.cleaned_data["files"],
                    expected_status=form.cleaned_data["expected_status"],
                )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("%(kind)s已报送，等待巡察办审核。") % {"kind": document.get_kind_display()})
            return redirect("rectification:document_detail", pk=document.pk)
    document.refresh_from_db()
    return _detail(request, document, submit_form=form, status=400)


@login_required
@require_POST
def document_review(request, pk):
    require_documents(request.user)
    document = selectors.document_get(user=request.user, pk=pk)
    if dw.OFFICE not in dw.roles_on(request.user, document):
        raise Http404
    form = DocumentReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("无效的操作，请刷新页面后重试。"))
        return redirect("rectification:document_detail", pk=document.pk)
    try:
        services.document_review(actor=request.user, document=document, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("文书状态已变更为“%s”。") % DocumentStatus(form.cleaned_data["to_status"]).label)
    return redirect("rectification:document_detail", pk=document.pk)


@login_required
def document_file_download(request, pk):
    require_documents(request.user)
    stored = selectors.document_file_get(user=request.user, pk=pk)
    try:
        handle = stored.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=stored.original_name)
