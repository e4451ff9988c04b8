"""Every form in the project renders with Bootstrap classes, through the form renderer (Django 5.2)."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.forms.renderers import TemplatesSetting


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


class ListFilterForm(forms.Form):
    """A list's GET filters."""

    def filters(self) -> dict:
        """The valid filters: a bad value drops itself (its error shows), never the others."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return self.cleaned_data


class LoginForm(AuthenticationForm):
    """Django's login form, refusing a name longer than any account's before it reaches authentication.

    AuthenticationForm sets the field's max_length after the field is built, so the length was never
    checked: a 256-character name went on to the login throttle, whose record (varchar 255) failed on
    PostgreSQL with a 500."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].validators.append(MaxLengthValidator(self.fields["username"].max_length))
