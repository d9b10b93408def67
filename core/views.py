from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core.access import open_to_all, public
from core.health import health_report


@public
@require_GET
def home(request):
    return render(request, "core/home.html")


@open_to_all
@never_cache
@require_GET
def healthz(request):
    report = health_report()
    return JsonResponse(report, status=200 if report["status"] == "ok" else 503)
