from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .roles import roles_of
from .workbench import duties_for


@login_required
def home(request):
    """Each role lands on the list of what it does here."""
    return render(request, "home.html", {"duties": duties_for(roles_of(request.user))})


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
