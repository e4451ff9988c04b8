"""How a person is named wherever the app shows one: 姓名 in Chinese order ("张三", never "三 张")."""

import re

from django.core.exceptions import ObjectDoesNotExist

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def full_name(user) -> str:
    """姓 then 名 with no space for Chinese names; "First Last" for Latin ones; the user name when both are blank.

    Accounts made in the app keep the whole 姓名 in `first_name`; one typed into Django admin as 姓/名 reads right too.
    """
    if user is None:
        return ""
    first, last = (user.first_name or "").strip(), (user.last_name or "").strip()
    if not (first or last):
        return user.username
    if _CJK.search(first + last):
        return f"{last}{first}"
    return f"{first} {last}".strip()


def account_label(user) -> str:
    """How an account is offered in a picker: 姓名（用户名）, so two people of one name stay apart."""
    name = full_name(user)
    return name if name == user.username else f"{name}（{user.username}）"


def staff_label(user, unit=None) -> str:
    """How a unit's person is offered for 经办人/责任领导: "张三 · 县财政局 · 副局长" (unit and post where known).

    Reads the relations `accounts.selectors.unit_staff` joins: the profile's unit and post, else the unit the person
    is 联络员 of, else the 人才库 home unit and rank, else `unit` (the one being picked for: its 主要负责人)."""
    from django.utils.translation import gettext as _

    profile, liaison, inspector = (_related(user, name) for name in ("profile", "unit_liaison", "inspector"))
    head = unit is not None and unit.head_id == user.pk
    post = getattr(profile, "post", "") or (_("主要负责人") if head else "") or (_("联络员") if liaison else "")
    post = post or getattr(inspector, "rank", "")
    home = getattr(inspector, "home_unit", None)
    unit = getattr(profile, "unit", None) or getattr(liaison, "unit", None) or home or unit
    return " · ".join(part for part in (full_name(user), getattr(unit, "name", ""), post) if part)


def _related(user, name):
    """A reverse one-to-one that may be missing, or None (no query when it was joined)."""
    try:
        return getattr(user, name)
    except ObjectDoesNotExist:
        return None
