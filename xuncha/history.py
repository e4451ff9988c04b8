"""Attribute a write to its actor in django-simple-history, inside or outside a request."""


def stamp(instance, *, actor, reason: str = ""):
    """Mark who makes the next save of `instance` and why; simple-history reads these attributes."""
    instance._history_user = actor
    if reason:
        instance._change_reason = reason
    return instance
