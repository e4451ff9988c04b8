"""账号与权限: the office opens, edits, deactivates accounts and gives roles; everyone else gets 404.
Every user changes their own password here too."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rounds.models import Inspector
from rounds.views.common import call_service, edit_page
from xuncha.exports import export_response, wants_export
from xuncha.lookups import lookup_view
from xuncha.paging import paginate
from xuncha.people import full_name
from xuncha.roles import require_manage

from . import selectors, services
from .choices import ROLE_MEANINGS, AccountRole
from .exports import ACCOUNTS
from .filtersets import AccountFilterSet
from .forms import (
    AccountCreateForm,
    AccountForm,
    InspectorAccountForm,
    InspectorLinkForm,
    PasswordResetForm,
    RoleGrantForm,
)
from .middleware import SESSION_KEY
from .models import AccountEvent


@login_required
def account_list(request):
    require_manage(request.user)
    filterset = AccountFilterSet(request.GET, queryset=selectors.account_list(user=request.user), request=request)
    filters = filterset.form
    if wants_export(request):
        return export_response(request, ACCOUNTS, filterset=filterset)
    page = paginate(request, filterset.qs)
    for account in page:
        account.held = selectors.roles_held(account)
    return render(request, "accounts/account_list.html", {"filters": filters, "page": page})


def _account_page(request, account, *, grant_form=None, reset_form=None, status=200):
    return render(
        request,
        "accounts/account_detail.html",
        {
            "account": account,
            "held": selectors.roles_held(account),
            "grant_form": grant_form or RoleGrantForm(),
            "reset_form": reset_form or PasswordResetForm(),
            "meanings": [(role.label, ROLE_MEANINGS[role]) for role in AccountRole],
            "events": AccountEvent.objects.filter(account=account).select_related("actor")[:100],
        },
        status=status,
    )


@login_required
def account_detail(request, pk):
    return _account_page(request, selectors.account_get(user=request.user, pk=pk))


@login_required
def account_create(request):
    require_manage(request.user)
    form = AccountCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        account = call_service(form, services.account_create, actor=request.user, **form.cleaned_data)
        if account:
            messages.success(request, _("已开通账号“%(name)s”，首次登录须修改密码。") % {"name": account.username})
            return redirect("accounts:account_detail", account.pk)
    crumbs = [(_("账号与权限"), reverse("accounts:account_list"))]
    return edit_page(request, form, heading=_("开通账号"), cancel_url=crumbs[0][1], crumbs=crumbs)


@login_required
def account_update(request, pk):
    account = selectors.account_get(user=request.user, pk=pk)
    form = AccountForm(request.POST or None, account=account)
    if request.method == "POST" and form.is_valid():
        if call_service(form, services.account_update, actor=request.user, user=account, **form.cleaned_data):
            messages.success(request, _("已保存账号“%(name)s”。") % {"name": form.cleaned_data["username"]})
            return redirect("accounts:account_detail", account.pk)
    here = reverse("accounts:account_detail", args=[account.pk])
    crumbs = [(_("账号与权限"), reverse("accounts:account_list")), (full_name(account), here)]
    return edit_page(request, form, heading=_("修改账号信息"), cancel_url=here, crumbs=crumbs)


def _attempt(request, service, **kwargs):
    """Run a service for a button without a form: its refusal becomes an error message on the page."""
    try:
        return service(actor=request.user, **kwargs)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return None


@login_required
@require_POST
def account_set_active(request, pk, active):
    account = selectors.account_get(user=request.user, pk=pk)
    if _attempt(request, services.account_set_active, user=account, active=active):
        if active:
            messages.success(request, _("已恢复账号“%(name)s”。") % {"name": account.username})
        else:
            messages.success(request, _("已停用账号“%(name)s”，其工作记录全部保留。") % {"name": account.username})
    return redirect("accounts:account_detail", account.pk)


@login_required
@require_POST
def account_reset_password(request, pk):
    account = selectors.account_get(user=request.user, pk=pk)
    form = PasswordResetForm(request.POST)
    if form.is_valid() and call_service(
        form, services.account_reset_password, actor=request.user, user=account, **form.cleaned_data
    ):
        messages.success(request, _("已重置“%(name)s”的密码，本人下次登录须修改密码。") % {"name": account.username})
        return redirect("accounts:account_detail", account.pk)
    return _account_page(request, account, reset_form=form, status=200)


@login_required
@require_POST
def account_unlock(request, pk):
    account = selectors.account_get(user=request.user, pk=pk)
    services.account_unlock(actor=request.user, user=account)
    messages.success(request, _("已解除“%(name)s”的登录锁定。") % {"name": account.username})
    return redirect("accounts:account_detail", account.pk)


@login_required
@require_POST
def role_grant(request, pk):
    account = selectors.account_get(user=request.user, pk=pk)
    form = RoleGrantForm(request.POST)
    if form.is_valid():
        text = call_service(form, services.role_grant, actor=request.user, user=account, **form.cleaned_data)
        if text:
            messages.success(request, _("已授予%(role)s。") % {"role": text})
            return redirect("accounts:account_detail", account.pk)
    return _account_page(request, account, grant_form=form)


@login_required
@require_POST
def role_revoke(request, pk):
    account = selectors.account_get(user=request.user, pk=pk)
    role = request.POST.get("role", "")
    if role not in AccountRole.values:
        return redirect("accounts:account_detail", account.pk)
    unit_id = request.POST.get("unit", "")
    valid_id = unit_id.isascii() and unit_id.isdigit() and len(unit_id) < 18
    unit = account.headed_units.filter(pk=int(unit_id)).first() if valid_id else None
    text = _attempt(request, services.role_revoke, user=account, role=role, unit=unit)
    if text:
        messages.success(request, _("已撤销%(role)s。") % {"role": text})
    return redirect("accounts:account_detail", account.pk)


# --- From the people pool (人才库) -------------------------------------------------------------


@login_required
def inspector_account(request, pk):
    """Open an account for a 人才库 person (POST `create`), or link an existing one (POST `link`)."""
    require_manage(request.user)
    inspector = get_object_or_404(Inspector.objects.select_related("home_unit", "user"), pk=pk)
    create_form = InspectorAccountForm(request.POST if "create" in request.POST else None)
    link_form = InspectorLinkForm(request.POST if "link" in request.POST else None)
    if request.method == "POST":
        if "create" in request.POST and create_form.is_valid():
            user = call_service(
                create_form,
                services.inspector_account_create,
                actor=request.user,
                inspector=inspector,
                **create_form.cleaned_data,
            )
            if user:
                messages.success(
                    request, _("已为%(person)s开通账号“%(name)s”。") % {"person": inspector.name, "name": user.username}
                )
                return redirect("rounds:inspector_detail", inspector.pk)
        if "link" in request.POST and link_form.is_valid():
            linked = call_service(
                link_form,
                services.inspector_account_link,
                actor=request.user,
                inspector=inspector,
                **link_form.cleaned_data,
            )
            if linked:
                messages.success(
                    request,
                    _("已将%(person)s关联到账号“%(name)s”。")
                    % {"person": inspector.name, "name": linked.user.username},
                )
                return redirect("rounds:inspector_detail", inspector.pk)
    return render(
        request,
        "accounts/inspector_account.html",
        {"inspector": inspector, "create_form": create_form, "link_form": link_form},
    )


# --- Everyone: their own password ------------------------------------------------------------


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's password change (its validators, in Chinese); a password the office set stops counting here."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("home")

    def form_valid(self, form):
        response = super().form_valid(form)
        services.account_password_changed(user=self.request.user)
        self.request.session.pop(SESSION_KEY, None)
        messages.success(self.request, _("密码已修改。"))
        return response

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "must_change": bool(self.request.session.get(SESSION_KEY))}


# --- Lookups for the searchable selects -------------------------------------------------------


def _grant_form(request):
    require_manage(request.user)
    return RoleGrantForm()


def _link_form(request):
    require_manage(request.user)
    return InspectorLinkForm()


lookup_units = lookup_view(_grant_form, "unit", search=("name",))
lookup_link_users = lookup_view(_link_form, "user", search=("username", "first_name", "last_name"))
