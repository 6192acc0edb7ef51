"""Home page and health check."""

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from phoihop.routing.engine import active_ruleset

from . import taskqueue


@require_GET
def home(request):
    return render(request, "site/home.html", {"ruleset": active_ruleset()})


@never_cache
@require_GET
def health(request):
    """For load balancers and monitoring: 200 when all is well, 503 otherwise. Reveals nothing else.

    Unhealthy: the database does not answer, no task worker beat within PHOIHOP_WORKER_STALE_SECONDS, or
    a ready task has waited longer than PHOIHOP_QUEUE_STALE_SECONDS (the workers cannot keep up).
    """
    body = {
        "status": "ok",
        "database": "ok",
        "worker": {"last_seen_s": None},
        "queue": {"oldest_ready_s": None, "ready": None},
    }
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        last_seen = taskqueue.worker_last_seen_s()
        queue = taskqueue.queue_state()
    except Exception:
        body.update(status="unavailable", database="unavailable")
        return JsonResponse(body, status=503)
    body["worker"]["last_seen_s"] = None if last_seen is None else round(last_seen, 1)
    body["queue"] = {
        "oldest_ready_s": None if queue["oldest_ready_s"] is None else round(queue["oldest_ready_s"], 1),
        "ready": queue["ready"],
    }
    worker_stale = last_seen is None or last_seen > settings.PHOIHOP_WORKER_STALE_SECONDS
    queue_stale = (queue["oldest_ready_s"] or 0) > settings.PHOIHOP_QUEUE_STALE_SECONDS
    if worker_stale or queue_stale:
        body["status"] = "unavailable"
        return JsonResponse(body, status=503)
    return JsonResponse(body)
