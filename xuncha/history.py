"""History with the acting user (django-simple-history): attribution for writes, readable diffs for pages."""

from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ObjectDoesNotExist
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
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
        return str(_("是") if value else _("否"))
    if isinstance(value, datetime):
        # Local time to the minute, as the page shows when the change was made; never UTC with microseconds.
        return formats.date_format(timezone.localtime(value) if timezone.is_aware(value) else value, "Y-m-d H:i")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _entry(record, previous, *, subject: str = "") -> Entry:
    changes = []
    if previous is not None and record.history_type == "~":
        model = record.instance._meta
        for change in record.diff_against(previous).changes:
            field = model.get_field(change.field)
            if getattr(field, "auto_now", False):
                continue  # "updated at" changes with every save; it is not news
            changes.append(
                Change(str(field.verbose_name), _display(previous, change.field), _display(record, change.field))
            )
    user = record.history_user
    reason = record.history_change_reason or ""
    return Entry(
        when=record.history_date,
        who=full_name(user) if user else str(_("系统")),
        kind=str(_KINDS.get(record.history_type, record.history_type)),
        reason=" · ".join(part for part in (subject, reason) if part),
        changes=changes,
    )


def history_entries(obj, limit: int = 100, *, related=()) -> list[Entry]:
    """Newest first: who changed what and when, each field from what to what.

    `related` is `(label, historical queryset)` pairs of the rows that belong to `obj` and have no page of their
    own (a plan's scope and milestones, an inspection's feedback): their changes join the list, each named
    "label：row" — deletions included, since the history keeps what the row was."""
    records = list(obj.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])
    entries = [_entry(r, p) for r, p in zip(records, records[1:] + [None], strict=False)][:limit]
    for label, rows in related:
        for record in rows.select_related("history_user").order_by("-history_date", "-history_id")[:limit]:
            previous = record.prev_record if record.history_type == "~" else None
            subject = _("%(label)s：%(row)s") % {"label": label, "row": _row(record)}
            entries.append(_entry(record, previous, subject=subject))
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries[:limit]


def _row(record) -> str:
    try:
        return str(record.instance)
    except ObjectDoesNotExist:  # a row pointing at something gone since: name it by what is left
        return f"#{record.id}"
