"""Every form in the project renders with Bootstrap classes, through the form renderer (Django 5.2)."""

import datetime
from contextlib import contextmanager

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import MaxLengthValidator
from django.forms.renderers import TemplatesSetting
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The window of dates anyone means in this work: no inspection predates 2000, no term reaches ten years ahead.
EARLIEST_DATE = datetime.date(2000, 1, 1)
LATEST_YEARS_AHEAD = 10


def latest_date() -> datetime.date:
    today = timezone.localdate()
    try:
        return today.replace(year=today.year + LATEST_YEARS_AHEAD)
    except ValueError:  # 29 February
        return today.replace(year=today.year + LATEST_YEARS_AHEAD, day=28)


def validate_sane_date(value):
    """A date typed by a user is within 2000-01-01 … ten years from today: 0001-01-01 or 9999-12-31 is a slip."""
    if value is None:
        return
    latest = latest_date()
    if not EARLIEST_DATE <= value <= latest:
        raise ValidationError(
            _("日期 %(value)s 不在合理范围内，请填写 %(min)s 至 %(max)s 之间的日期。"),
            code="date_out_of_range",
            params={"value": value.isoformat(), "min": EARLIEST_DATE.isoformat(), "max": latest.isoformat()},
        )


def validate_sane_year(value):
    """A year typed by a user (a plan's term, a round) is within the same window as dates."""
    if value is None:
        return
    latest = latest_date().year
    if not EARLIEST_DATE.year <= value <= latest:
        raise ValidationError(
            _("年度 %(value)s 不在合理范围内，请填写 %(min)s 至 %(max)s 之间的年度。"),
            code="year_out_of_range",
            params={"value": value, "min": EARLIEST_DATE.year, "max": latest},
        )


class DateField(forms.DateField):
    """Every date field of the project's forms: a date outside the sane window is a form error."""

    default_validators = [validate_sane_date]


class YearField(forms.IntegerField):
    """Every year field of the project's forms, checked like dates."""

    default_validators = [validate_sane_year]


class DateInput(forms.DateInput):
    """The one date widget: <input type="date"> accepts only ISO dates, whatever the language. With the
    locale's format (zh-hans renders 2026/04/14) the browser shows an empty box; an unchanged save erased the date."""

    input_type = "date"

    def __init__(self, attrs=None, format="%Y-%m-%d"):
        super().__init__(attrs=attrs, format=format)


class BootstrapBoundField(forms.BoundField):
    """Bootstrap classes on every widget, and `is-invalid` where the field has errors."""

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        if isinstance(widget, forms.HiddenInput | forms.RadioSelect):  # RadioSelect covers CheckboxSelectMultiple
            return attrs
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.Select):
            css = "form-select"
        else:
            css = "form-control"
        if self.errors:
            css += " is-invalid"
        attrs["class"] = f"{attrs.get('class', '')} {css}".strip()
        return attrs


class FormRenderer(TemplatesSetting):
    """Widgets render with the project's template engine (django.forms among the apps supplies Django's
    widget templates), so templates/django/forms/ can replace one: the select, for speed."""

    bound_field_class = BootstrapBoundField


class LoginForm(AuthenticationForm):
    """Django's login form, refusing a name longer than any account's before it reaches authentication.

    AuthenticationForm sets the field's max_length after the field is built, so the length was never
    checked: a 256-character name went on to the login throttle, whose record (varchar 255) failed on
    PostgreSQL with a 500."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].validators.append(MaxLengthValidator(self.fields["username"].max_length))


# --- A service's refusal, shown on the form ---------------------------------------------------------------


def add_service_errors(form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: on the field it names where the form has that field,
    above the form otherwise."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)
    if hasattr(form, "after_refusal"):
        form.after_refusal(exc)


@contextmanager
def refused_as_404(*, explained_on=None):
    """The one answer to a service's PermissionDenied: 404, never 403 — no hint that the object or the action
    exists. Only where a page shows its whole workflow to those who make some of its moves (an inspection's
    stages) does a refusal the service explains go on that form (`explained_on`) instead."""
    try:
        yield
    except PermissionDenied as exc:
        if explained_on is not None and str(exc):
            explained_on.add_error(None, str(exc))
            raise ServiceRefused from None
        raise Http404 from None


class ServiceRefused(Exception):
    """Raised by refused_as_404 once an explained refusal is on the form; call_service answers None for it."""


def call_service(form, service, *, explained=False, passthrough: tuple = (), **kwargs):
    """Run a service for a form: its result, or None with its ValidationError (or explained refusal) on the form.
    Exceptions in `passthrough` (a confirmation the page asks for) go up to the view."""
    try:
        with refused_as_404(explained_on=form if explained else None):
            return service(**kwargs)
    except ServiceRefused:
        return None
    except passthrough:
        raise
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None
