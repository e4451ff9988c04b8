"""History with the acting user (django-simple-history): attribution for writes, readable diffs for pages."""

from dataclasses import dataclass

from django.utils.translation import pgettext_lazy

from xuncha.people import full_name

# simple-history's history_change_reason is a varchar(100): PostgreSQL refuses a longer value and the
# whole write fails. The full text of a comment lives on its event/review row; history keeps a summary.
REASON_MAX_LENGTH = 100


def reason_summary(reason) -> str:
    """A change reason that fits history_change_reason: cut with an ellipsis when too long."""
    reason = " ".join(str(reason).split())
    if len(reason) <= REASON_MAX_LENGTH:
        return reason
    return reason[: REASON_MAX_LENGTH - 1] + "…"


def stamp(instance, *, actor, reason: str = ""):
    """Mark who makes the next save of `instance` and why; simple-history reads these attributes."""
    instance._history_user = actor
    if reason:
        instance._change_reason = reason_summary(reason)
    return instance


@dataclass
class Change:
    field: str
    old: str
    new: str


@dataclass
class Entry:
    when: object
    who: str
    kind: str  # 新建 / 修改 / 删除
    reason: str
    changes: list[Change]


_KINDS = {
    "+": pgettext_lazy("history", "新建"),
    "~": pgettext_lazy("history", "修改"),
    "-": pgettext_lazy("history", "删除"),
}


def _display(record, field_name):
    field = record.instance._meta.get_field(field_name)
    value = getattr(record, field.attname, None)
    if value in (None, ""):
        return "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.is_relation:
        related = field.related_model._default_manager.filter(pk=value).first()
        return str(related) if related else f"#{value}"
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


def history_entries(obj, limit: int = 100) -> list[Entry]:
    """Newest first: who changed what and when, each field from what to what."""
    records = list(obj.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])
    entries = []
    for record, previous in zip(records, records[1:] + [None], strict=False):
        if len(entries) == limit:
            break
        changes = []
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous)
            for change in delta.changes:
                field = obj._meta.get_field(change.field)
                if getattr(field, "auto_now", False):
                    continue  # "updated at" changes with every save; it is not news
                changes.append(
                    Change(str(field.verbose_name), _display(previous, change.field), _display(record, change.field))
                )
        user = record.history_user
        entries.append(
            Entry(
                when=record.history_date,
                who=full_name(user) if user else "系统",
                kind=str(_KINDS.get(record.history_type, record.history_type)),
                reason=record.history_change_reason or "",
                changes=changes,
            )
        )
    return entries
