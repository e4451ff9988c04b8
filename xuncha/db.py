"""Small helpers for constraints that every app declares the same way, and for saving under them."""

from collections.abc import Callable

from django.db import IntegrityError, models, transaction


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


def save_validated(instance: models.Model, *, recheck: Callable[[], None] | None = None) -> models.Model:
    """Validate and save; a duplicate committed by a concurrent request after the check gets the same
    ValidationError (on the same field) as a duplicate submitted later, never an IntegrityError (500).

    Two offices saving one new unit both pass the check; on PostgreSQL the second INSERT waits for the first
    commit and then violates the unique constraint. Inside a savepoint the caller's transaction survives it,
    and checking again now sees the committed row and names the field. `recheck` is the service's own check
    for the duplicate (its message says more than the model's), run again first."""
    instance.full_clean()
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError:
        if recheck is not None:
            recheck()
        instance.full_clean()
        raise  # not a duplicate the model can name: a genuine fault
    return instance
