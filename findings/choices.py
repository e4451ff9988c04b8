from django.db import models
from django.utils.translation import gettext_lazy as _


class Source(models.TextChoices):
    INTERVIEW = "interview", _("个别谈话")
    DOCUMENTS = "documents", _("调阅资料")
    PETITION = "petition", _("信访举报")
    SURVEY = "survey", _("民主测评")
    VISIT = "visit", _("走访调研")
    QUESTIONNAIRE = "questionnaire", _("问卷调查")
    SPOT = "spot", _("专项检查")
    OTHER = "other", _("其他")


class ReviewState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    DEPUTY_REVIEW = "deputy_review", _("副组长复核")
    LEADER_SIGN = "leader_sign", _("组长审签")
    REPORTED = "reported", _("已报告")


REVIEW_STATE_COLOURS = {
    ReviewState.DRAFT: "secondary",
    ReviewState.DEPUTY_REVIEW: "info",
    ReviewState.LEADER_SIGN: "warning",
    ReviewState.REPORTED: "success",
}


class ReceivingBody(models.TextChoices):
    DISCIPLINE = "discipline", _("县纪委监委")
    ORGANISATION = "organisation", _("县委组织部")
    OTHER = "other", _("其他部门")


class ClueStatus(models.TextChoices):
    DRAFT = "draft", _("待移交")
    TRANSFERRED = "transferred", _("已移交")
    ANSWERED = "answered", _("已反馈")


class Disposition(models.TextChoices):
    TALK = "talk", _("谈话函询")
    VERIFY = "verify", _("初步核实")
    SHELVE = "shelve", _("暂存待查")
    CLOSE = "close", _("予以了结")


class Outcome(models.TextChoices):
    NONE = "none", _("无")
    CASE = "case", _("立案审查调查")
    PUNISHMENT = "punishment", _("党纪政务处分")
    ORGANISATIONAL = "organisational", _("组织处理")
    CRITICISM = "criticism", _("批评教育")
    TRANSFERRED = "transferred", _("移送司法机关")


class ReportState(models.TextChoices):
    """巡察报告: the meeting it waits for. The group drafts it; 组务会 (the group leader records it), 组办会商
    (the office with the group), 领导小组审议 and 书记专题会 (leadership) each pass it on, or send it back."""

    DRAFT = "draft", _("草稿")
    GROUP_MEETING = "group_meeting", _("组务会")
    OFFICE_CONSULT = "office_consult", _("组办会商")
    LEADERSHIP_REVIEW = "leadership_review", _("领导小组审议")
    SECRETARY_MEETING = "secretary_meeting", _("书记专题会")
    FINAL = "final", _("定稿")


REPORT_STATE_COLOURS = {
    ReportState.DRAFT: "secondary",
    ReportState.GROUP_MEETING: "info",
    ReportState.OFFICE_CONSULT: "primary",
    ReportState.LEADERSHIP_REVIEW: "warning",
    ReportState.SECRETARY_MEETING: "danger",
    ReportState.FINAL: "success",
}


class RoundReportState(models.TextChoices):
    DRAFT = "draft", _("起草中")
    SUBMITTED = "submitted", _("已报领导小组")
    APPROVED = "approved", _("已审定")


ROUND_REPORT_STATE_COLOURS = {
    RoundReportState.DRAFT: "secondary",
    RoundReportState.SUBMITTED: "warning",
    RoundReportState.APPROVED: "success",
}


# --- 巡察信访 ----------------------------------------------------------------------------------
class PetitionChannel(models.TextChoices):
    LETTER = "letter", _("来信")
    PHONE = "phone", _("来电")
    VISIT = "visit", _("来访")
    EMAIL = "email", _("电子邮件")
    QR = "qr", _("二维码")


class PetitionStatus(models.TextChoices):
    RECEIVED = "received", _("受理")
    ASSIGNED = "assigned", _("已分办")
    CLOSED = "closed", _("办结")


class PetitionRoute(models.TextChoices):
    """分办: where a petition goes after it is accepted."""

    GROUP = "group", _("巡察组办理")
    DISCIPLINE = "discipline", _("转纪委监委")
    DEPARTMENT = "department", _("转有关部门")
    RETAIN = "retain", _("留存备查")


PETITION_STATUS_COLOURS = {
    PetitionStatus.RECEIVED: "secondary",
    PetitionStatus.ASSIGNED: "warning",
    PetitionStatus.CLOSED: "success",
}
