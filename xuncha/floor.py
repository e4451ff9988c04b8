"""The benchmark's floors (bench/dashboard.py): the cheapest pages the framework can serve, through the
same middleware as every page. Routed only when settings.BENCHMARK_FLOOR is on."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse


def floor0(request):
    """Floor-0: no login, no session read, no template."""
    return HttpResponse("ok")


@login_required
def floor1(request):
    """Floor-1: a logged-in user (session and user loaded), nothing else."""
    return HttpResponse("ok")
