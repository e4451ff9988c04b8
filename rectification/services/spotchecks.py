import random
import secrets
from datetime import date as Date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rounds.choices import Stage
from rounds.models import Inspection, Round
from xuncha.history import stamp
from xuncha.roles import PERM_MANAGE

from ..choices import SpotCheckKind, SpotCheckResult, TaskStatus
from ..models import RectificationTask, SpotCheck, SpotCheckItem
from .tasks import check_new_due_date, task_transition, task_update


def spotcheck_population(*, kind: str, round: Round | None):
    """What a draw picks from, ordered by id so that a seed always gives the same sample."""
    if kind == SpotCheckKind.TASKS:
        qs = RectificationTask.objects.filter(status=TaskStatus.CLOSED)
        if round is not None:
            qs = qs.filter(round=round)
    else:
        qs = Inspection.objects.filter(stage=Stage.ARCHIVED)
        if round is not None:
            qs = qs.filter(round=round)
    return qs.order_by("pk")


def draw_sample(ids: list[int], size: int, seed: int) -> list[int]:
    """Reproducible: the same ids, size and seed always give the same sample (random.Random(seed))."""
    return sorted(random.Random(seed).sample(ids, min(size, len(ids))))


@transaction.atomic
def spotcheck_draw(
    *, actor, kind: str, sample_size: int, round: Round | None = None, seed: int | None = None, note: str = ""
) -> SpotCheck:
    """Draw a random sample of closed tasks or finished inspections and record the seed that reproduces it."""
    if not actor.has_perm(PERM_MANAGE):
        raise PermissionDenied
    if sample_size < 1:
        raise ValidationError({"sample_size": _("抽取数量至少为 1。")})
    # Only ids are loaded: even a province's closed tasks are a few MB of integers.
    ids = list(spotcheck_population(kind=kind, round=round).values_list("pk", flat=True))
    if not ids:
        raise ValidationError(_("抽取范围内没有可抽查的对象。"))
    seed = secrets.randbits(48) if seed is None else seed
    picked = draw_sample(ids, sample_size, seed)
    check = SpotCheck(kind=kind, round=round, seed=seed, sample_size=len(picked), drawn_by=actor, note=note)
    stamp(check, actor=actor, reason=_("随机抽取"))
    check.full_clean()
    check.save()
    key = "task_id" if kind == SpotCheckKind.TASKS else "inspection_id"
    SpotCheckItem.objects.bulk_create([SpotCheckItem(spot_check=check, **{key: pk}) for pk in picked])
    return check


@transaction.atomic
def spotcheck_record(
    *, actor, item: SpotCheckItem, result: str, note: str = "", due_date: Date | None = None
) -> SpotCheckItem:
    """Record one re-check; a failed re-check of a task reopens it (已销号 → 整改中) with a new due date."""
    if not actor.has_perm(PERM_MANAGE):
        raise PermissionDenied
    item = SpotCheckItem.objects.select_for_update().get(pk=item.pk)
    if item.result != SpotCheckResult.PENDING:
        raise ValidationError(_("该项已登记核查结果。"))
    if result not in (SpotCheckResult.PASSED, SpotCheckResult.FAILED):
        raise ValidationError({"result": _("请选择核查结果。")})
    note = (note or "").strip()
    if result == SpotCheckResult.FAILED and not note:
        raise ValidationError({"note": _("核查未通过须写明情况。")})
    reopens = result == SpotCheckResult.FAILED and item.task_id and item.task.status == TaskStatus.CLOSED
    if reopens:
        # The old due date is long past: without a new one the reopened task would be overdue at once.
        check_new_due_date(due_date)
    item.result, item.note, item.checked_by, item.checked_at = result, note, actor, timezone.now()
    stamp(item, actor=actor, reason=_("登记核查结果"))
    item.full_clean()
    item.save()
    if reopens:
        task = task_transition(
            actor=actor, task=item.task, to_status=TaskStatus.IN_PROGRESS, comment=_("回头看抽查未通过：") + note
        )
        task_update(actor=actor, task=task, due_date=due_date)
    return item
