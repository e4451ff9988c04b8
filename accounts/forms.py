"""Forms validate input and keep what was typed; the writes happen in accounts.services."""

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import password_validators_help_text_html
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from findings.choices import ReceivingBody
from rounds.models import PartyUnit
from xuncha.lookups import SearchSelect
from xuncha.people import account_label, full_name

from .choices import AccountRole

ANY = [("", _("全部"))]
UNITS = reverse_lazy("accounts:lookup_units")


def _units():
    return PartyUnit.objects.filter(is_active=True).order_by("kind", "name")


class AccountForm(forms.Form):
    """The account's card: 用户名, 姓名 (one field, in Chinese order), phone, e-mail, unit, post."""

    username = forms.RegexField(
        label=_("用户名"),
        max_length=150,
        regex=r"^[\w.@+-]+\Z",
        help_text=_("登录用，字母、数字和 @ . + - _。"),
        error_messages={"invalid": _("用户名只能包含字母、数字和 @ . + - _。")},
    )
    name = forms.CharField(label=_("姓名"), max_length=150, help_text=_("按中文习惯，姓在前，如“张三”。"))
    phone = forms.CharField(label=_("手机号码"), max_length=30, required=False)
    email = forms.EmailField(label=_("电子邮箱"), required=False, help_text=_("填写后可收到整改提醒邮件。"))
    unit = forms.ModelChoiceField(
        label=_("工作单位"), queryset=PartyUnit.objects.none(), required=False, widget=SearchSelect(UNITS)
    )
    post = forms.CharField(
        label=_("职务"), max_length=100, required=False, help_text=_("如“副局长”，在选择经办人、责任领导时显示。")
    )

    def __init__(self, *args, account=None, **kwargs):
        if account is not None:
            profile = getattr(account, "profile", None)
            kwargs.setdefault(
                "initial",
                {
                    "username": account.username,
                    "name": full_name(account) if (account.first_name or account.last_name) else "",
                    "phone": getattr(profile, "phone", ""),
                    "email": account.email,
                    "unit": getattr(profile, "unit_id", None),
                    "post": getattr(profile, "post", ""),
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _units()


class PasswordField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("strip", False)
        kwargs.setdefault("widget", forms.PasswordInput(attrs={"autocomplete": "new-password"}))
        kwargs.setdefault("help_text", password_validators_help_text_html())
        super().__init__(**kwargs)


class AccountCreateForm(AccountForm):
    password = PasswordField(label=_("初始密码"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].help_text = _("本人首次登录后须修改密码。")


class PasswordResetForm(forms.Form):
    password = PasswordField(label=_("新密码"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].help_text = _("本人下次登录后须修改密码。")


class RoleGrantForm(forms.Form):
    role = forms.ChoiceField(label=_("角色"), choices=[("", "---------")] + AccountRole.choices)
    unit = forms.ModelChoiceField(
        label=_("单位（联络员、负责人）"), queryset=PartyUnit.objects.none(), required=False, widget=SearchSelect(UNITS)
    )
    body = forms.ChoiceField(
        label=_("移交单位（对接人）"), choices=[("", "---------")] + ReceivingBody.choices, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _units()

    def clean(self):
        data = super().clean()
        role = data.get("role")
        if role in (AccountRole.UNIT_LIAISON, AccountRole.UNIT_HEAD) and not data.get("unit"):
            self.add_error("unit", _("请选择单位。"))
        if role == AccountRole.BODY_LIAISON and not data.get("body"):
            self.add_error("body", _("请选择移交单位。"))
        return data


class InspectorAccountForm(forms.Form):
    """From a 人才库 person's page: a new account in their name, or an existing one linked."""

    username = AccountForm.base_fields["username"]
    password = PasswordField(label=_("初始密码"))
    phone = AccountForm.base_fields["phone"]
    email = AccountForm.base_fields["email"]


class InspectorLinkForm(forms.Form):
    user = forms.ModelChoiceField(
        label=_("已有账号"),
        queryset=get_user_model().objects.none(),
        widget=SearchSelect(reverse_lazy("accounts:lookup_link_users")),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from rounds.models import Inspector

        linked = Inspector.objects.exclude(user=None).values("user_id")
        field = self.fields["user"]
        accounts = get_user_model().objects.filter(is_active=True, is_superuser=False)
        field.queryset = accounts.exclude(pk__in=linked).order_by("username")
        field.label_from_instance = account_label
