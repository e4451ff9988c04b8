"""Services for the finding category tree (三大问题 → …), which the office keeps in the app.

Kept apart from findings/services.py (findings and clues). A used category is never deleted — it is deactivated
(停用): no new finding can take it, the findings that have it keep it. Every change is in its simple-history."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from xuncha.history import stamp

from .models import Finding, FindingCategory


def _save(category: FindingCategory, *, actor, reason: str) -> FindingCategory:
    stamp(category, actor=actor, reason=reason)
    category.full_clean()
    category.save()
    return category


def _siblings(parent_id):
    return FindingCategory.objects.filter(parent_id=parent_id).order_by("order", "code")


def _next_code(parent: FindingCategory | None) -> str:
    prefix = parent.code if parent else ""
    codes = set(FindingCategory.objects.filter(code__startswith=prefix).values_list("code", flat=True))
    for n in range(1, 1000):
        code = f"{prefix}{n:02d}"
        if code not in codes:
            return code
    raise ValidationError(_("该类别下的子类别已达上限。"))


def _check_name(name: str, parent_id, exclude=None) -> None:
    same = FindingCategory.objects.filter(parent_id=parent_id, name=name)
    if exclude is not None:
        same = same.exclude(pk=exclude.pk)
    if same.exists():
        raise ValidationError({"name": _("同一上级下已有类别“%(name)s”。") % {"name": name}})


@transaction.atomic
def category_create(*, actor, name: str, parent: FindingCategory | None = None) -> FindingCategory:
    """Add a category at the end of its parent's list."""
    if parent is not None:
        parent = FindingCategory.objects.select_for_update().get(pk=parent.pk)
        if Finding.objects.filter(category=parent).exists():
            # A category with findings is a leaf they were filed under; children would make it unselectable.
            raise ValidationError({"parent": _("“%(name)s”下已有问题底稿，不能再增加子类别。") % {"name": parent.name}})
        if not parent.is_active:
            raise ValidationError({"parent": _("上级类别已停用。")})
    _check_name(name, getattr(parent, "pk", None))
    last = _siblings(getattr(parent, "pk", None)).aggregate(m=Max("order"))["m"] or 0
    category = FindingCategory(name=name, parent=parent, code=_next_code(parent), order=last + 1)
    return _save(category, actor=actor, reason=_("新增问题类别"))


@transaction.atomic
def category_rename(*, actor, category: FindingCategory, name: str) -> FindingCategory:
    category = FindingCategory.objects.select_for_update().get(pk=category.pk)
    if category.name == name:
        return category
    _check_name(name, category.parent_id, exclude=category)
    category.name = name
    return _save(category, actor=actor, reason=_("修改问题类别名称"))


@transaction.atomic
def category_move(*, actor, category: FindingCategory, up: bool) -> FindingCategory:
    """Move a category one place up or down among its siblings (the order pickers and lists show)."""
    siblings = list(_siblings(category.parent_id).select_for_update())
    index = next(i for i, c in enumerate(siblings) if c.pk == category.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(siblings):
        return siblings[index]
    siblings[index], siblings[other] = siblings[other], siblings[index]
    for position, sibling in enumerate(siblings, start=1):
        if sibling.order != position:
            sibling.order = position
            _save(sibling, actor=actor, reason=_("调整问题类别顺序"))
    return siblings[other]


@transaction.atomic
def category_set_active(*, actor, category: FindingCategory, active: bool) -> FindingCategory:
    """停用 a category (with everything below it) or restore it; findings filed under it keep it."""
    category = FindingCategory.objects.select_for_update().get(pk=category.pk)
    if active and category.parent_id and not category.parent.is_active:
        raise ValidationError(_("上级类别已停用，请先恢复上级类别。"))
    targets = [category]
    if not active:
        frontier = [category.pk]
        while frontier:
            children = list(FindingCategory.objects.filter(parent_id__in=frontier, is_active=True))
            targets += children
            frontier = [c.pk for c in children]
    for target in targets:
        if target.is_active != active:
            target.is_active = active
            _save(target, actor=actor, reason=_("恢复问题类别") if active else _("停用问题类别"))
    return category


@transaction.atomic
def category_delete(*, actor, category: FindingCategory) -> None:
    """Delete a category no finding has ever used and that has no children; used ones can only be deactivated."""
    category = FindingCategory.objects.select_for_update().get(pk=category.pk)
    if category.children.exists():
        raise ValidationError(_("“%(name)s”下还有子类别，不能删除。") % {"name": category.name})
    if Finding.objects.filter(category=category).exists() or Finding.history.filter(category_id=category.pk).exists():
        raise ValidationError(_("“%(name)s”已被问题底稿使用，只能停用，不能删除。") % {"name": category.name})
    stamp(category, actor=actor, reason=_("删除问题类别"))
    category.delete()
