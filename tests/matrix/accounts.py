"""账号与权限: the office only — leadership, groups, liaisons and nobody get 404 on every page, lookup and write.
Everyone changes their own password. That nothing changed for the refused personas is pinned in tests/test_accounts.py.
"""

from django.contrib.auth.models import User
from django.urls import reverse

from accounts.choices import AccountRole
from rounds.models import Inspector

from . import EVERYONE, Case

OFFICE = frozenset({"office"})
GOOD = "Matrix-2026-good"


def target(w):
    """An account of no persona, so that deactivating it changes no one's later request."""
    return User.objects.get_or_create(username="matrix_target", defaults={"first_name": "靶子"})[0].pk


def pool_person(w):
    return Inspector.objects.get_or_create(name="待开通干部")[0].pk


def url(name, *args):
    return lambda w: reverse(f"accounts:{name}", args=[a(w) for a in args])


def post(name, *args, data=None):
    return Case(f"POST accounts:{name}", url(name, *args), OFFICE, "post", data, 302)


CASES = [
    Case("password_change", lambda w: reverse("password_change"), EVERYONE),
    Case("accounts:account_list", url("account_list"), OFFICE),
    Case("accounts:account_list export", lambda w: reverse("accounts:account_list") + "?export=xlsx", OFFICE),
    Case("accounts:account_create", url("account_create"), OFFICE),
    Case("accounts:account_detail", url("account_detail", target), OFFICE),
    Case("accounts:account_update", url("account_update", target), OFFICE),
    Case("accounts:inspector_account", url("inspector_account", pool_person), OFFICE),
    Case("accounts:lookup_units", url("lookup_units"), OFFICE),
    Case("accounts:lookup_link_users", url("lookup_link_users"), OFFICE),
    post("account_create", data=lambda w: {"username": "matrix_new", "name": "新账号", "password": GOOD}),
    post("account_update", target, data=lambda w: {"username": "matrix_target", "name": "靶子二"}),
    post("account_deactivate", target),
    post("account_reactivate", target),
    post("account_reset_password", target, data=lambda w: {"password": GOOD}),
    post("account_unlock", target),
    post("role_grant", target, data=lambda w: {"role": AccountRole.UNIT_LIAISON, "unit": w.units.outside.pk}),
    post("role_revoke", target, data=lambda w: {"role": AccountRole.UNIT_LIAISON}),
    Case(
        "POST accounts:inspector_account create",
        url("inspector_account", pool_person),
        OFFICE,
        "post",
        lambda w: {"create": "1", "username": "matrix_pool", "password": GOOD},
        302,
    ),
]


# 问题类别 and 初始化向导: the office's settings, like the accounts.
def category(w):
    from findings.models import FindingCategory

    return FindingCategory.objects.get_or_create(code="99", defaults={"name": "矩阵类别", "order": 99})[0].pk


def f_url(name, *args):
    return lambda w: reverse(f"findings:{name}", args=[a(w) for a in args])


CASES += [
    Case("findings:category_list", f_url("category_list"), OFFICE),
    Case("setup", lambda w: reverse("setup"), OFFICE),
    Case("setup_county", lambda w: reverse("setup_county"), OFFICE),
    Case(
        "POST setup_county",
        lambda w: reverse("setup_county"),
        OFFICE,
        "post",
        lambda w: {"county_name": "清河县", "term_label": "第十五届"},
        302,
    ),
    Case(
        "POST findings:category_list",
        f_url("category_list"),
        OFFICE,
        "post",
        lambda w: {"name": "矩阵新增类别"},
        302,
    ),
    Case(
        "POST findings:category_rename",
        f_url("category_rename", category),
        OFFICE,
        "post",
        lambda w: {"name": "改名"},
        302,
    ),
    Case("POST findings:category_up", f_url("category_up", category), OFFICE, "post", None, 302),
    Case("POST findings:category_down", f_url("category_down", category), OFFICE, "post", None, 302),
    Case("POST findings:category_deactivate", f_url("category_deactivate", category), OFFICE, "post", None, 302),
    Case("POST findings:category_reactivate", f_url("category_reactivate", category), OFFICE, "post", None, 302),
    Case("POST findings:category_delete", f_url("category_delete", category), OFFICE, "post", None, 302),
]
