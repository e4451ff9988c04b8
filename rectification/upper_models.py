"""配合上级巡视/巡察: the county as the inspected party. A visit of the provincial or municipal group, its
requests (交办事项) with county owners and deadlines, and the replies. Imported by rectification.models.

It lives in rectification/ because its deadlines join this app's reminder ladder (Reminder.request)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from xuncha.db import dates_in_order, valid_choice
from xuncha.models import TransitionEvent

from .choices import RequestKind, RequestStatus, UpperLevel
from .upper_managers import UpperRequestQuerySet, UpperVisitQuerySet


class UpperVisit(models.Model):
    """上级巡视/巡察: which upper-level group, whom it inspects in the county, when, and the county's liaison."""

    level = models.CharField(_("层级"), max_length=20, choices=UpperLevel.choices)
    team = models.CharField(_("巡视（巡察）组"), max_length=100, help_text=_("如：省委第三巡视组"))
    target = models.CharField(_("巡视（巡察）对象"), max_length=200, help_text=_("如：县委、县政府党组"))
    start_date = models.DateField(_("进驻日期"))
    end_date = models.DateField(_("结束日期"), null=True, blank=True)
    liaison_office = models.CharField(_("县联络协调组"), max_length=100)
    contacts = models.TextField(_("联系人及电话"), blank=True)
    feedback = models.TextField(_("反馈意见"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("登记人"))
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    history = HistoricalRecords()

    objects = UpperVisitQuerySet.as_manager()

    class Meta:
        verbose_name = _("上级巡视（巡察）")
        verbose_name_plural = _("配合上级巡视（巡察）")
        ordering = ["-start_date", "-pk"]
        constraints = [
            valid_choice("level", UpperLevel, "uppervisit_level_valid"),
            dates_in_order("start_date", "end_date", "uppervisit_end_after_start"),
        ]

    def __str__(self):
        return f"{self.team}（{self.start_date:%Y-%m-%d}）"


class UpperRequest(models.Model):
    """交办事项: one request of the upper-level group, owned by a county unit and person, with a deadline."""

    visit = models.ForeignKey(UpperVisit, models.PROTECT, related_name="requests", verbose_name=_("上级巡视（巡察）"))
    kind = models.CharField(_("事项类型"), max_length=20, choices=RequestKind.choices)
    title = models.CharField(_("事项内容"), max_length=200)
    detail = models.TextField(_("具体要求"), blank=True)
    requested_date = models.DateField(_("交办日期"))
    owner_unit = models.ForeignKey("rounds.PartyUnit", models.PROTECT, related_name="+", verbose_name=_("承办单位"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="upper_requests", verbose_name=_("承办人")
    )
    due_date = models.DateField(_("办理时限"))
    status = models.CharField(_("状态"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.TODO)
    reply = models.TextField(_("办理情况"), blank=True)
    submitted_date = models.DateField(_("报送日期"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("交办人"))
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    history = HistoricalRecords()

    objects = UpperRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("交办事项")
        verbose_name_plural = _("交办事项")
        ordering = ["due_date", "pk"]
        constraints = [
            valid_choice("kind", RequestKind, "upperrequest_kind_valid"),
            valid_choice("status", RequestStatus, "upperrequest_status_valid"),
            dates_in_order("requested_date", "due_date", "upperrequest_due_after_requested"),
            # What was reported carries its reply and its date.
            models.CheckConstraint(
                condition=~Q(status__in=[RequestStatus.SUBMITTED, RequestStatus.CONFIRMED])
                | (Q(submitted_date__isnull=False) & ~Q(reply="")),
                name="upperrequest_submitted_has_reply",
            ),
        ]
        indexes = [
            models.Index(fields=["owner", "status"], name="upperrequest_owner_status"),
            models.Index(
                fields=["due_date"],
                name="upperrequest_open_due",
                condition=Q(status__in=["todo", "doing", "returned"]),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.title}"


class UpperRequestEvent(TransitionEvent):
    """A status change of a request: who, when, from what to what, and why."""

    request = models.ForeignKey(UpperRequest, models.CASCADE, related_name="events", verbose_name=_("交办事项"))
    from_status = models.CharField(_("原状态"), max_length=20, choices=RequestStatus.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=20, choices=RequestStatus.choices)

    class Meta(TransitionEvent.Meta):
        verbose_name = _("交办事项办理记录")
        verbose_name_plural = _("交办事项办理记录")
        constraints = [valid_choice("to_status", RequestStatus, "upperrequestevent_to_valid")]


def request_attachment_path(instance, filename):
    import uuid

    return f"evidence/upper/{instance.request_id}/{uuid.uuid4().hex}"


class UpperRequestAttachment(models.Model):
    """A file sent with the reply; downloaded only through a view that checks permission and logs it."""

    request = models.ForeignKey(UpperRequest, models.PROTECT, related_name="attachments", verbose_name=_("交办事项"))
    file = models.FileField(_("文件"), upload_to=request_attachment_path, max_length=200)
    original_name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveBigIntegerField(_("大小"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("办理附件")
        verbose_name_plural = _("办理附件")
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.original_name
