"""The task rungs' recipients computed row by row in Python, against which the set-based SQL writer
(rectification/reminders.py `write_task_notifications`) is checked."""

from rectification.reminders import HANDLER, LEADER, LEADERSHIP, OFFICE, TASK_RECIPIENTS, UNIT_HEAD


def task_recipients(reminder, audience, liaisons: dict) -> list:
    """Who hears of a task's rung; the unit's liaisons ({unit id: [users]}) stand in for a missing 经办人."""
    kinds, task = TASK_RECIPIENTS[reminder.rung], reminder.task
    people = []
    if HANDLER in kinds:
        people += [task.handler] if task.handler_id else liaisons.get(task.responsible_unit_id, [])
    if LEADER in kinds and task.responsible_leader_id:
        people.append(task.responsible_leader)
    if UNIT_HEAD in kinds and task.responsible_unit.head_id:
        people.append(task.responsible_unit.head)
    if OFFICE in kinds:
        people += audience.office
    if LEADERSHIP in kinds:
        people += audience.leadership
    return list({p.pk: p for p in people if p is not None and p.is_active}.values())
