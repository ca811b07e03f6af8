"""Project-level views of the core: the language switch and the health check."""

from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.i18n import set_language as django_set_language

from .services import user_set_language


def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch; for a signed-in user the choice is also remembered."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if (
        request.method == "POST"
        and request.user.is_authenticated
        and language in dict(settings.LANGUAGES)
    ):
        user_set_language(user=request.user, language=language)
    return response


def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness for the container health check: the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
