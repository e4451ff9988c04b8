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
