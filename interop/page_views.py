"""The administrators' pages of SPEC section 11: register an external system (its login and
password shown once), see its last exchanges, give it a new password, switch it off or on."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ctms.decorators import allowed_if
from ctms.forms import submit

from .forms import ExternalSystemForm
from .policies import can_manage_external_systems
from .selectors import external_systems_visible_to, last_exchanges
from .services import (
    external_system_active_set,
    external_system_password_rotate,
    external_system_register,
)


@allowed_if(can_manage_external_systems)
def system_list(request: HttpRequest) -> HttpResponse:
    """The registered systems, and the form to register one."""
    form = ExternalSystemForm(request.POST if request.method == "POST" else None)
    registered = submit(
        request,
        form,
        lambda: external_system_register(
            name=form.cleaned_data["name"],
            agency=form.cleaned_data["agency"],
            url=form.cleaned_data["url"],
            remote_login=form.cleaned_data["remote_login"],
            remote_password=form.cleaned_data["remote_password"],
            actor=request.user,
            channel="web",
        ),
        success=_("The system is registered."),
    )
    if registered:
        system, password = registered
        return _credentials(request, system, password)
    systems = external_systems_visible_to(request.user).order_by("name")
    status = 400 if form.is_bound else 200
    return render(
        request, "interop/systems.html", {"systems": systems, "form": form}, status=status
    )


@allowed_if(can_manage_external_systems)
@require_GET
def system_detail(request: HttpRequest, pk) -> HttpResponse:
    system = external_systems_visible_to(request.user).filter(pk=pk).first()
    if system is None:
        raise Http404
    return render(
        request,
        "interop/system_detail.html",
        {"system": system, "exchanges": last_exchanges(system)},
    )


@allowed_if(can_manage_external_systems)
@require_POST
def system_rotate(request: HttpRequest, pk) -> HttpResponse:
    system, password = external_system_password_rotate(system_id=pk, actor=request.user)
    messages.success(request, _("The system has a new password; the old one no longer works."))
    return _credentials(request, system, password)


@allowed_if(can_manage_external_systems)
@require_POST
def system_deactivate(request: HttpRequest, pk) -> HttpResponse:
    external_system_active_set(system_id=pk, actor=request.user, active=False)
    messages.success(request, _("The system is switched off: it can no longer sign in."))
    return redirect("interop:system", pk=pk)


@allowed_if(can_manage_external_systems)
@require_POST
def system_reactivate(request: HttpRequest, pk) -> HttpResponse:
    external_system_active_set(system_id=pk, actor=request.user, active=True)
    messages.success(request, _("The system is switched on again."))
    return redirect("interop:system", pk=pk)


def _credentials(request: HttpRequest, system, password: str) -> HttpResponse:
    """The login and password, once: CTMS keeps only a hash of the password."""
    return render(
        request,
        "interop/credentials.html",
        {"system": system, "password": password, "host": request.build_absolute_uri("/")},
    )
