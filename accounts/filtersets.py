"""The account list's filters and sort, declared once: the page and its .xlsx export use these."""

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xuncha.filtersets import DefaultChoiceFilter, ListFilterSet, SortFilter

from . import selectors
from .choices import AccountRole

ANY = _("全部")


class AccountFilterSet(ListFilterSet):
    """账号与权限: over `selectors.account_list(user=…)`."""

    q = django_filters.CharFilter(
        label=_("搜索"),
        method="filter_search",
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("用户名、姓名、电话、单位")}),
    )
    role = django_filters.ChoiceFilter(
        label=_("角色"),
        choices=[*AccountRole.choices, ("group", _("巡察组成员")), ("none", _("未分配角色"))],
        empty_label=ANY,
        method="filter_role",
    )
    status = DefaultChoiceFilter(
        label=_("状态"),
        choices=[("active", _("在用")), ("inactive", _("已停用")), ("locked", _("登录已锁定")), ("all", _("全部"))],
        empty_label=None,
        default="active",
        lookups={"active": Q(is_active=True), "inactive": Q(is_active=False), "locked": Q(locked=True), "all": None},
    )
    sort = SortFilter(
        columns={"username": ("username",), "name": ("last_name", "first_name"), "login": ("last_login",)}
    )

    search = staticmethod(selectors.account_search)

    class Meta:
        model = get_user_model()
        fields = []

    def filter_role(self, queryset, name, value):
        return selectors.accounts_by_role(queryset, value)
