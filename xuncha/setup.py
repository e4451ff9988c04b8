"""初始化向导: on a fresh installation, what the office has done and what comes next, each step with its page.

The checklist shows until a plan and a round exist; the county's name and term live in SiteSettings."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from .history import stamp
from .models import SiteSettings


@dataclass
class Step:
    title: str
    description: str
    url: str
    count: str
    done: bool
    action: str


def site_settings() -> SiteSettings | None:
    return SiteSettings.objects.filter(pk=1).first()


@transaction.atomic
def site_settings_save(
    *, actor, county_name: str, term_label: str = "", term_start_year=None, term_end_year=None
) -> SiteSettings:
    """Set the county's name and term (the one row)."""
    settings = SiteSettings.objects.select_for_update().filter(pk=1).first() or SiteSettings(pk=1)
    settings.county_name, settings.term_label = county_name, term_label
    settings.term_start_year, settings.term_end_year = term_start_year, term_end_year
    if term_start_year and term_end_year and term_end_year < term_start_year:
        raise ValidationError({"term_end_year": _("结束年度不能早于起始年度。")})
    stamp(settings, actor=actor, reason=_("设置县情"))
    settings.full_clean()
    settings.save()
    return settings


def plan_initial() -> dict:
    """What a new plan's form starts from: the county's name, term and years."""
    settings = site_settings()
    if settings is None:
        return {}
    initial = {
        "name": _("%(county)s%(term)s县委巡察工作规划") % {"county": settings.county_name, "term": settings.term_label}
    }
    if settings.term_start_year:
        initial["start_year"] = settings.term_start_year
    if settings.term_end_year:
        initial["end_year"] = settings.term_end_year
    return initial


def setup_complete() -> bool:
    """The checklist has done its work once a plan and a round exist."""
    from rounds.models import Round

    return Round.objects.exists()  # a round belongs to a plan: one query answers both


def setup_steps() -> list[Step]:
    """The six steps in order, each with what exists so far."""
    from rounds.models import InspectionGroup, Inspector, Milestone, PartyUnit, Plan, PlanUnit, Round

    settings = site_settings()
    units = PartyUnit.objects.filter(is_active=True).count()
    people = Inspector.objects.filter(is_active=True).count()
    accounts = get_user_model().objects.filter(is_active=True).count()
    plans, scope, milestones = Plan.objects.count(), PlanUnit.objects.count(), Milestone.objects.count()
    rounds, groups = Round.objects.count(), InspectionGroup.objects.count()
    plan = Plan.objects.order_by("-start_year").first()
    steps = [
        Step(
            _("县名与届次"),
            _("填写本县名称和县委届次、起止年度，制定规划时自动带出。"),
            reverse("setup_county"),
            str(settings) if settings else _("未设置"),
            settings is not None,
            _("填写"),
        ),
        Step(
            _("巡察对象"),
            _("下载模板，填好乡镇、县直部门、国企、事业单位和村(社区)党组织后导入。"),
            reverse("exports:import_start", args=["units"]),
            _("%(n)s 个单位") % {"n": units},
            units > 0,
            _("导入"),
        ),
        Step(
            _("巡察人才库"),
            _("导入巡察干部名单（工作单位、职级、专业特长、组长库）。"),
            reverse("exports:import_start", args=["people"]),
            _("%(n)s 名干部") % {"n": people},
            people > 0,
            _("导入"),
        ),
        Step(
            _("账号与权限"),
            _(
                "为领导小组、单位联络员、责任单位负责人和纪委监委/组织部对接人开通账号并授予角色；巡察干部可在人才库中一键开通。"
            ),
            reverse("accounts:account_list"),
            _("%(n)s 个账号") % {"n": accounts},
            accounts > 1,
            _("开通"),
        ),
        Step(
            _("五年巡察规划"),
            _("制定本届规划，确定巡察范围（各单位计划年度）和年度覆盖目标。"),
            reverse("rounds:plan_detail", args=[plan.pk]) if plan else reverse("rounds:plan_create"),
            _("%(plans)s 个规划，范围 %(scope)s 个单位，%(milestones)s 个年度目标")
            % {"plans": plans, "scope": scope, "milestones": milestones},
            plans > 0 and scope > 0 and milestones > 0,
            _("制定"),
        ),
        Step(
            _("首轮巡察与巡察组"),
            _("部署第一轮巡察，组建巡察组，配备组长和成员，分配被巡察单位。"),
            reverse("rounds:round_create") if not rounds else reverse("rounds:round_list"),
            _("%(rounds)s 个轮次，%(groups)s 个巡察组") % {"rounds": rounds, "groups": groups},
            rounds > 0 and groups > 0,
            _("部署"),
        ),
    ]
    return steps


def next_step(steps: list[Step]) -> Step | None:
    return next((s for s in steps if not s.done), None)
