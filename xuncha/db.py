"""Small helpers for constraints that every app declares the same way."""

from django.db import models


def valid_choice(field: str, choices: type[models.Choices], name: str) -> models.CheckConstraint:
    """The database refuses a status the code does not know."""
    return models.CheckConstraint(condition=models.Q(**{f"{field}__in": choices.values}), name=name)


def dates_in_order(earlier: str, later: str, name: str) -> models.CheckConstraint:
    """`later` is on or after `earlier` whenever both are set."""
    return models.CheckConstraint(
        condition=models.Q(**{f"{earlier}__isnull": True})
        | models.Q(**{f"{later}__isnull": True})
        | models.Q(**{f"{later}__gte": models.F(earlier)}),
        name=name,
    )
