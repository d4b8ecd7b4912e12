"""The load balancer's probe: is this instance able to serve requests?"""

import logging

from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


@never_cache
@require_safe
def health(request):
    """200 {"status": "ok"} when the database answers, else 503 {"status": "unavailable"}."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("Health check: the database does not answer")
        return JsonResponse(
            {"status": "unavailable", "message": "The database does not answer."}, status=503
        )
    return JsonResponse({"status": "ok"})
