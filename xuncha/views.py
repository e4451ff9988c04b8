import logging

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .roles import roles_of
from .workbench import duties_for

logger = logging.getLogger(__name__)


@login_required
def home(request):
    """Each role lands on the list of what it does here."""
    return render(request, "home.html", {"duties": duties_for(roles_of(request.user))})


@never_cache
@require_GET
def healthz(request):
    """For the load balancer and docker-compose: the database answers and the broker answers."""
    from django.conf import settings

    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - any failure means unhealthy
        checks["database"] = f"error: {exc.__class__.__name__}"
    if settings.REDIS_URL:
        import redis

        try:
            redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2).ping()
            checks["broker"] = "ok"
        except Exception as exc:  # noqa: BLE001
            checks["broker"] = f"error: {exc.__class__.__name__}"
    else:
        checks["broker"] = "in-process"
    healthy = all(v in ("ok", "in-process") for v in checks.values())
    return JsonResponse({"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503)


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
