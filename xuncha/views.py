import logging

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from rounds.views.common import call_service, edit_page

from .roles import Role, require_manage, roles_of
from .setup import next_step, setup_complete, setup_steps, site_settings, site_settings_save
from .workbench import duties_for, headlines_for, recent_jobs, todos_for

logger = logging.getLogger(__name__)


@login_required
def home(request):
    """工作台: what waits for the user (counts, each opening its filtered list), then what each role does here."""
    roles = roles_of(request.user)
    steps = setup_steps() if Role.OFFICE in roles and not setup_complete() else None  # a fresh installation
    return render(
        request,
        "home.html",
        {
            "todos": todos_for(request.user, roles),
            "headlines": headlines_for(request.user, roles),
            "jobs": recent_jobs(request.user, roles),
            "duties": duties_for(roles, request.user),
            "steps": steps,
            "next": next_step(steps) if steps else None,
        },
    )


@never_cache
@require_GET
def healthz(request):
    """For the load balancer and docker-compose: each service the app needs, with its own status.

    database and media are always required; with REDIS_URL, so are the broker, the cache and at least one
    live Celery worker (its heartbeat key, xuncha/celery.py). 503 when any required part fails. Cheap and
    open to all: it names a failing part and its error class, never an address or a message."""
    from .health import checks

    results = checks()
    healthy = all(v in ("ok", "in-process") for v in results.values())
    return JsonResponse({"status": "ok" if healthy else "error", **results}, status=200 if healthy else 503)


class SiteSettingsForm(forms.Form):
    county_name = forms.CharField(label=gettext_lazy("县（市、区）名称"), max_length=60)
    term_label = forms.CharField(
        label=gettext_lazy("县委届次"), max_length=30, required=False, help_text=gettext_lazy("如“第十五届”。")
    )
    term_start_year = forms.IntegerField(
        label=gettext_lazy("本届起始年度"), required=False, min_value=2000, max_value=2100
    )
    term_end_year = forms.IntegerField(
        label=gettext_lazy("本届结束年度"), required=False, min_value=2000, max_value=2100
    )


@login_required
def setup(request):
    """初始化向导 (office): the six steps of a county's first day, done or next, each with its page and count."""
    require_manage(request.user)
    steps = setup_steps()
    return render(request, "setup.html", {"steps": steps, "next": next_step(steps), "complete": setup_complete()})


@login_required
def setup_county(request):
    require_manage(request.user)
    settings = site_settings()
    initial = {f: getattr(settings, f) for f in SiteSettingsForm.base_fields} if settings else None
    form = SiteSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        if call_service(form, site_settings_save, actor=request.user, **form.cleaned_data):
            messages.success(request, _("已保存县情设置。"))
            return redirect("setup")
    crumbs = [(_("初始化向导"), reverse("setup"))]
    return edit_page(request, form, heading=_("县名与届次"), cancel_url=crumbs[0][1], crumbs=crumbs)


# Shown when everything else has failed, even the error page's own template.
BARE_500 = (
    '<!doctype html><html lang="zh-hans"><meta charset="utf-8"><title>系统出现错误 · Server error</title>'
    "<h1>系统出现错误</h1><p>这次操作没有完成，已保存的数据不受影响。请稍后重试。</p>"
    '<p lang="en">Something went wrong; nothing you saved was lost. Please try again later.</p></html>'
)


def server_error(request):
    """The 500 page in the site's layout, rendered with no request: no context processor, no database query
    (what failed may be the database). If even that fails, a bare page, never a second error."""
    try:
        return HttpResponseServerError(render_to_string("500.html"))
    except Exception:  # noqa: BLE001 - whatever broke, the user still gets an answer
        logger.exception("The 500 page could not be rendered")
        return HttpResponseServerError(BARE_500)
