"""Session lifetimes: signed-in sessions end after SESSION_IDLE_TIMEOUT seconds without a
request and SESSION_ABSOLUTE_LIFETIME seconds after sign-in, whichever comes first."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

SESSION_STARTED_KEY = "_ctms_signed_in_at"
SESSION_SEEN_KEY = "_ctms_seen_at"
# Refresh the last-seen stamp at most this often, so that not every request writes the session.
SEEN_RESOLUTION_SECONDS = 60


def session_expired(session, now: float) -> bool:
    started = session.get(SESSION_STARTED_KEY)
    seen = session.get(SESSION_SEEN_KEY)
    if started is None or seen is None:
        # A session without stamps was not opened through sign-in: treat as expired.
        return True
    return (
        now - seen > settings.SESSION_IDLE_TIMEOUT
        or now - started > settings.SESSION_ABSOLUTE_LIFETIME
    )


class SessionTimeoutMiddleware:
    """Sign out idle and too-old sessions, then answer as if the user had never signed in."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = time.time()
            if session_expired(request.session, now):
                logout(request)
                if request.path.startswith("/api/"):
                    return JsonResponse({"detail": _("Your session has expired.")}, status=401)
                # Go on as an anonymous visitor: protected pages send to sign-in with the right
                # `next`, and the sign-in page itself just works.
                return self.get_response(request)
            if now - request.session[SESSION_SEEN_KEY] >= SEEN_RESOLUTION_SECONDS:
                request.session[SESSION_SEEN_KEY] = now
        return self.get_response(request)
