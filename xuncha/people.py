"""How a person is named wherever the app shows one: 姓名 in Chinese order ("张三", never "三 张")."""

import re

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
