"""View decorators and request helpers of the browser UI."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from ctms.audit import audit_reads
from ctms.errors import NotFound
from ctms.request_context import client_ip


def allowed_if(policy: Callable[..., bool]) -> Callable:
    """A page gate: signed in, and `policy(user)` holds (an action policy asked without a
    record: "may this user do this at all?"); otherwise 403. A service's NotFound becomes the
    same 404 as a record that does not exist."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not policy(request.user):
                raise PermissionDenied
            try:
                return view(request, *args, **kwargs)
            except NotFound as error:
                raise Http404 from error

        return wrapped

    return decorator


def audit_shown(request: HttpRequest, victims) -> list:
    """Audit that these victims' names were shown to the user (one INSERT); returns them."""
    victims = list(victims)
    audit_reads(actor=request.user, objects=victims, channel="web", ip_address=client_ip(request))
    return victims
