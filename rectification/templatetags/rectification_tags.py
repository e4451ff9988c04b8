from django import template

from xuncha.people import full_name

from ..choices import TASK_STATUS_COLOURS

register = template.Library()


@register.filter
def task_colour(status: str) -> str:
    """Bootstrap colour of a task status (rectification.choices.TASK_STATUS_COLOURS)."""
    return TASK_STATUS_COLOURS.get(status, "secondary")


@register.filter
def overdue_on(task, today) -> bool:
    """{% if task|overdue_on:today %}: RectificationTask.is_overdue, the one rule for a row."""
    return task.is_overdue(today)


@register.filter
def person(user) -> str:
    """A user's name as people know it, or a dash."""
    if user is None:
        return "—"
    return full_name(user)


@register.filter
def result_colour(result: str) -> str:
    from ..choices import SPOTCHECK_RESULT_COLOURS

    return SPOTCHECK_RESULT_COLOURS.get(result, "secondary")


@register.filter
def lookback_colour(result: str) -> str:
    from ..choices import LOOKBACK_RESULT_COLOURS

    return LOOKBACK_RESULT_COLOURS.get(result, "secondary")


@register.filter
def document_colour(status: str) -> str:
    from ..choices import DOCUMENT_STATUS_COLOURS

    return DOCUMENT_STATUS_COLOURS.get(status, "secondary")


@register.filter
def timeliness_colour(value: str) -> str:
    from ..choices import TIMELINESS_COLOURS

    return TIMELINESS_COLOURS.get(value, "secondary")


@register.filter
def timeliness_label(value: str) -> str:
    from ..choices import Timeliness

    return Timeliness(value).label if value in Timeliness.values else "—"


@register.filter
def grade_colour(grade: str) -> str:
    from ..choices import GRADE_COLOURS

    return GRADE_COLOURS.get(grade, "secondary")
