from contextlib import contextmanager

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.http import Http404

from xuncha.params import parse_id


def apply_errors(form, exc: ValidationError):
    """Put a service's ValidationError on the form: on the field it names when the form has it."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields and field != NON_FIELD_ERRORS else None, errors)
    else:
        form.add_error(None, exc)
    if hasattr(form, "after_refusal"):
        form.after_refusal(exc)


@contextmanager
def denied_as_404():
    # A service refusing a right answers 404, never 403: no hint that the object or action exists.
    try:
        yield
    except PermissionDenied:
        raise Http404 from None


def pk_in(queryset, value) -> bool:
    """Whether a submitted id is one of the allowed choices (a foreign id answers 404, not a form error)."""
    if value in (None, ""):
        return True
    pk = parse_id(value)
    if pk is None:
        return True  # not an id at all: let the form say so
    return queryset.filter(pk=pk).exists()


def only_choice(queryset):
    """The pk when there is exactly one choice (a member usually works on one inspection at a time)."""
    pks = list(queryset.values_list("pk", flat=True)[:2])
    return pks[0] if len(pks) == 1 else None
