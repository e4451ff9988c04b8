"""Writes for accounts and roles. Each is one transaction, validates, and writes an AccountEvent naming the actor
(the role rows keep their own simple-history too). Nothing here deletes a user: deactivating keeps all they did."""

from axes.utils import reset as axes_reset
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from findings.choices import ReceivingBody
from findings.models import BodyLiaison
from rounds.models import Inspector, PartyUnit, UnitLiaison
from rounds.services import membership_grant_all, membership_revoke_all
from xuncha.history import stamp
from xuncha.people import full_name
from xuncha.roles import LEADERSHIP_GROUP, OFFICE_GROUP

from .choices import AccountAction, AccountRole
from .models import AccountEvent, Profile

User = get_user_model()
ROLE_GROUPS = {AccountRole.OFFICE: OFFICE_GROUP, AccountRole.LEADERSHIP: LEADERSHIP_GROUP}


def _log(*, account, actor, action: str, detail: str = "") -> AccountEvent:
    return AccountEvent.objects.create(account=account, actor=actor, action=action, detail=detail)


def profile_of(user) -> Profile:
    """The user's Profile, made on first need (accounts from Django admin or the demo have none)."""
    try:
        return user.profile
    except Profile.DoesNotExist:
        user.profile = Profile.objects.get_or_create(user=user)[0]
        return user.profile


def _save_profile(profile: Profile, *, actor, reason: str) -> Profile:
    stamp(profile, actor=actor, reason=reason)
    profile.full_clean()
    profile.save()
    return profile


def _check_username(username: str, *, exclude=None) -> None:
    taken = User.objects.filter(username__iexact=username)
    if exclude is not None:
        taken = taken.exclude(pk=exclude.pk)
    if taken.exists():
        raise ValidationError({"username": _("用户名“%(name)s”已被使用。") % {"name": username}})


def _check_password(password: str, user, field: str = "password") -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from None


@transaction.atomic
def account_create(
    *,
    actor,
    username: str,
    name: str,
    password: str,
    phone: str = "",
    email: str = "",
    unit: PartyUnit | None = None,
    post: str = "",
) -> User:
    """Open an account; the office sets a first password, which the person must change at their first login."""
    _check_username(username)
    user = User(username=username, first_name=name, last_name="", email=email)
    _check_password(password, user)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    profile = Profile(user=user, phone=phone, unit=unit, post=post, must_change_password=True)
    user.profile = _save_profile(profile, actor=actor, reason=_("开通账号"))
    _log(account=user, actor=actor, action=AccountAction.CREATE, detail=f"{full_name(user)}（{username}）")
    return user


@transaction.atomic
def account_update(*, actor, user, **fields) -> User:
    """Change the name, user name, phone, e-mail, unit or post; the change is logged field by field."""
    user = User.objects.select_for_update().get(pk=user.pk)
    profile = profile_of(user)
    before = _card(user, profile)
    if "username" in fields:
        _check_username(fields["username"], exclude=user)
        user.username = fields["username"]
    if "name" in fields:
        user.first_name, user.last_name = fields["name"], ""
    if "email" in fields:
        user.email = fields["email"]
    if "phone" in fields:
        profile.phone = fields["phone"]
    if "unit" in fields:
        profile.unit = fields["unit"]
    if "post" in fields:
        profile.post = fields["post"]
    after = _card(user, profile)
    changes = [
        f"{label}：{before[label] or '—'} → {after[label] or '—'}" for label in before if before[label] != after[label]
    ]
    if not changes:
        return user
    user.full_clean(exclude=["password"])
    user.save()
    _save_profile(profile, actor=actor, reason=_("修改账号信息"))
    _log(account=user, actor=actor, action=AccountAction.UPDATE, detail="；".join(changes))
    return user


def _card(user, profile) -> dict:
    return {
        _("用户名"): user.username,
        _("姓名"): full_name(user) if (user.first_name or user.last_name) else "",
        _("手机号码"): profile.phone,
        _("电子邮箱"): user.email,
        _("工作单位"): profile.unit.name if profile.unit_id else "",
        _("职务"): profile.post,
    }


@transaction.atomic
def account_set_active(*, actor, user, active: bool) -> User:
    """停用 or 恢复 an account. A deactivated account cannot log in; everything it did stays, attributed to it."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if not active and user.pk == actor.pk:
        raise ValidationError(_("不能停用自己正在使用的账号。"))
    if user.is_active == active:
        return user
    user.is_active = active
    user.save(update_fields=["is_active"])
    _log(account=user, actor=actor, action=AccountAction.REACTIVATE if active else AccountAction.DEACTIVATE)
    return user


@transaction.atomic
def account_reset_password(*, actor, user, password: str) -> User:
    """Set a new password the person must change at next login; their open sessions end (Django's session hash)."""
    user = User.objects.select_for_update().get(pk=user.pk)
    _check_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    profile = profile_of(user)
    profile.must_change_password = True
    _save_profile(profile, actor=actor, reason=_("重置密码"))
    axes_reset(username=user.username)  # a reset also lifts a lock-out: the person is about to log in again
    _log(account=user, actor=actor, action=AccountAction.RESET_PASSWORD)
    return user


@transaction.atomic
def account_password_changed(*, user) -> None:
    """The person chose their own password (PasswordChangeForm saved it): the office's one no longer counts."""
    profile = profile_of(user)
    if profile.must_change_password:
        profile.must_change_password = False
        _save_profile(profile, actor=user, reason=_("本人修改密码"))
    _log(account=user, actor=user, action=AccountAction.CHANGE_PASSWORD)


@transaction.atomic
def account_unlock(*, actor, user) -> int:
    """Lift django-axes' lock-out for this user name from every address (one NAT may lock out colleagues)."""
    count = axes_reset(username=user.username)
    _log(account=user, actor=actor, action=AccountAction.UNLOCK, detail=_("清除%(n)s条失败登录记录") % {"n": count})
    return count


# --- Roles -----------------------------------------------------------------------------------


def _role_text(role: str, *, unit=None, body: str = "") -> str:
    label = str(AccountRole(role).label)
    if unit is not None:
        return f"{label}（{unit.name}）"
    if body:
        return f"{label}（{ReceivingBody(body).label}）"
    return label


@transaction.atomic
def role_grant(*, actor, user, role: str, unit: PartyUnit | None = None, body: str = "") -> str:
    """Give a role: an auth group (office, leadership), a UnitLiaison or BodyLiaison row, or PartyUnit.head."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.is_active:
        raise ValidationError(_("账号已停用，请先恢复再授予角色。"))
    if role in ROLE_GROUPS:
        other = ROLE_GROUPS[AccountRole.LEADERSHIP if role == AccountRole.OFFICE else AccountRole.OFFICE]
        if user.groups.filter(name=other).exists():
            raise ValidationError(_("巡察办工作人员与县委/领导小组不能兼任，请先撤销另一角色。"))
        user.groups.add(Group.objects.get(name=ROLE_GROUPS[role]))
    elif role == AccountRole.UNIT_LIAISON:
        if unit is None:
            raise ValidationError({"unit": _("请选择联络员所在单位。")})
        liaison = UnitLiaison.objects.filter(user=user).first() or UnitLiaison(user=user)
        if liaison.pk and liaison.unit_id == unit.pk:
            raise ValidationError(_("已是该单位的联络员。"))
        liaison.unit = unit
        stamp(liaison, actor=actor, reason=_("授予单位联络员"))
        liaison.full_clean()
        liaison.save()
    elif role == AccountRole.UNIT_HEAD:
        if unit is None:
            raise ValidationError({"unit": _("请选择所负责的单位。")})
        unit = PartyUnit.objects.select_for_update().get(pk=unit.pk)
        if unit.head_id == user.pk:
            raise ValidationError(_("已是该单位的负责人。"))
        if unit.head_id:
            _log(
                account=unit.head,
                actor=actor,
                action=AccountAction.REVOKE,
                detail=_("%(role)s，由%(name)s接任") % {"role": _role_text(role, unit=unit), "name": full_name(user)},
            )
        unit.head = user
        stamp(unit, actor=actor, reason=_("指定责任单位负责人"))
        unit.save(update_fields=["head"])
    elif role == AccountRole.BODY_LIAISON:
        if body not in ReceivingBody.values:
            raise ValidationError({"body": _("请选择对接的移交单位。")})
        liaison = BodyLiaison.objects.filter(user=user).first() or BodyLiaison(user=user)
        if liaison.pk and liaison.body == body:
            raise ValidationError(_("已是该单位的线索对接人。"))
        liaison.body = body
        stamp(liaison, actor=actor, reason=_("授予线索对接人"))
        liaison.full_clean()
        liaison.save()
    else:
        raise ValidationError({"role": _("未知角色。")})
    text = _role_text(role, unit=unit, body=body)
    _log(account=user, actor=actor, action=AccountAction.GRANT, detail=text)
    return text


@transaction.atomic
def role_revoke(*, actor, user, role: str, unit: PartyUnit | None = None) -> str:
    """Take a role away (its description, or "" when the account did not hold it); what the person did stays."""
    user = User.objects.select_for_update().get(pk=user.pk)
    text = str(AccountRole(role).label)
    if role in ROLE_GROUPS:
        if role == AccountRole.OFFICE and user.pk == actor.pk:
            raise ValidationError(_("不能撤销自己的巡察办工作人员角色。"))
        user.groups.remove(Group.objects.get(name=ROLE_GROUPS[role]))
    elif role == AccountRole.UNIT_LIAISON:
        liaison = UnitLiaison.objects.filter(user=user).select_related("unit").first()
        if liaison is None:
            return ""  # nothing to take away
        text = _role_text(role, unit=liaison.unit)
        stamp(liaison, actor=actor, reason=_("撤销单位联络员"))
        liaison.delete()
    elif role == AccountRole.UNIT_HEAD:
        unit = PartyUnit.objects.select_for_update().filter(pk=getattr(unit, "pk", None), head=user).first()
        if unit is None:
            return ""
        text = _role_text(role, unit=unit)
        unit.head = None
        stamp(unit, actor=actor, reason=_("撤销责任单位负责人"))
        unit.save(update_fields=["head"])
    elif role == AccountRole.BODY_LIAISON:
        liaison = BodyLiaison.objects.filter(user=user).first()
        if liaison is None:
            return ""  # nothing to take away
        text = _role_text(role, body=liaison.body)
        stamp(liaison, actor=actor, reason=_("撤销线索对接人"))
        liaison.delete()
    else:
        raise ValidationError(_("未知角色。"))
    _log(account=user, actor=actor, action=AccountAction.REVOKE, detail=text)
    return text


# --- People pool (人才库) ----------------------------------------------------------------------


@transaction.atomic
def inspector_account_create(
    *, actor, inspector: Inspector, username: str, password: str, phone: str = "", email: str = ""
) -> User:
    """One step from the 人才库: an account named as the person, in their home unit, linked to them."""
    inspector = Inspector.objects.select_for_update().get(pk=inspector.pk)
    if inspector.user_id:
        raise ValidationError(_("%(person)s 已有登录账号。") % {"person": inspector.name})
    user = account_create(
        actor=actor,
        username=username,
        name=inspector.name,
        password=password,
        phone=phone,
        email=email,
        unit=inspector.home_unit,
    )
    return inspector_account_link(actor=actor, inspector=inspector, user=user).user


@transaction.atomic
def inspector_account_link(*, actor, inspector: Inspector, user) -> Inspector:
    """Link a 人才库 person to an existing account; the groups they sit in now grant their rights to that account."""
    inspector = Inspector.objects.select_for_update().get(pk=inspector.pk)
    if Inspector.objects.filter(user=user).exclude(pk=inspector.pk).exists():
        raise ValidationError({"user": _("该账号已关联其他巡察干部。")})
    if inspector.user_id == user.pk:
        return inspector
    if inspector.user_id:
        membership_revoke_all(inspector)
    inspector.user = user
    stamp(inspector, actor=actor, reason=_("关联登录账号"))
    inspector.full_clean()
    inspector.save()
    membership_grant_all(inspector)
    _log(account=user, actor=actor, action=AccountAction.LINK_INSPECTOR, detail=inspector.name)
    return inspector
