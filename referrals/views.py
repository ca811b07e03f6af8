"""Browser pages of referrals: sending, the inbox, the referral with its workflow buttons,
and the services delivered under it."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from cases.selectors import cases_visible_to
from ctms.audit import audit_reads
from ctms.choices import ReferralStatus
from ctms.decorators import allowed_if, audit_shown
from ctms.errors import TransitionNotAllowed
from ctms.forms import add_service_errors, submit
from ctms.request_context import client_ip
from victims.selectors import VictimAccess, victims_visible_to

from .choices import Transition
from .forms import DeclineForm, ReferralForm, ServiceForm
from .policies import (
    allowed_transitions,
    can_browse_referrals,
    can_record_service,
    can_send_referral,
)
from .selectors import (
    referral_history,
    referral_inbox,
    referral_shows_identity,
    referral_side,
    referral_summary,
    referrals_sent,
    referrals_visible_to,
    services_visible_to,
)
from .services import referral_create, referral_transition, service_record

LIST_LIMIT = 100

# What the page says once a step is done: the step itself, not "updated".
DONE = {
    "accept": gettext_lazy("Referral accepted."),
    "decline": gettext_lazy("Referral declined."),
    "start": gettext_lazy("Services started."),
    "complete": gettext_lazy("Referral completed."),
    "close": gettext_lazy("Referral closed."),
    "withdraw": gettext_lazy("Referral withdrawn."),
}


@allowed_if(can_browse_referrals)
def referral_list(request: HttpRequest) -> HttpResponse:
    """Received referrals (pending ones as a summary) and, for case workers, those sent."""
    user = request.user
    status = request.GET.get("status", "")
    received = referral_inbox(user).select_related("victim", "from_agency")
    if status in ReferralStatus.values:
        received = received.filter(status=status)
    sent = referrals_sent(user)
    if sent is not None:
        sent = sent.select_related("victim", "to_agency")
    rows = [
        (referral, referral_summary(referral), referral_shows_identity(user, referral))
        for referral in received[:LIST_LIMIT]
    ]
    sent = list(sent[:LIST_LIMIT]) if sent is not None else None
    named = [referral.victim for referral, _summary, shows in rows if shows]
    audit_shown(request, named + [referral.victim for referral in sent or []])
    return render(
        request,
        "referrals/referral_list.html",
        {
            "received": rows,
            "sent": sent,
            "status": status,
            "statuses": ReferralStatus.choices,
        },
    )


@allowed_if(can_send_referral)
def referral_new(request: HttpRequest, victim_pk) -> HttpResponse:
    """Refer a victim held in full to a partner agency."""
    user = request.user
    victim = get_object_or_404(victims_visible_to(user, at_least=VictimAccess.FULL), pk=victim_pk)
    cases = cases_visible_to(user).filter(victims=victim)
    form = ReferralForm(request.POST or None, cases=cases)
    referral = submit(
        request,
        form,
        lambda: referral_create(user=user, victim=victim, **form.cleaned_data),
        success=_("The referral has been sent."),
    )
    if referral:
        return redirect("referrals:detail", pk=referral.pk)
    return render(request, "referrals/referral_form.html", {"form": form, "victim": victim})


@require_GET
@allowed_if(can_send_referral)
def partner_field(request: HttpRequest) -> HttpResponse:
    """htmx: the partner chooser for the services ticked so far, the partner chosen so far
    still chosen if it offers them all."""
    form = ReferralForm(
        initial={
            "services_requested": request.GET.getlist("services_requested"),
            "to_agency": request.GET.get("to_agency", ""),
        },
        cases=cases_visible_to(request.user).none(),
    )
    return render(request, "referrals/_partner_field.html", {"form": form})


def _detail_context(request: HttpRequest, referral, **extra) -> dict:
    user = request.user
    side = referral_side(user, referral)
    shows_identity = referral_shows_identity(user, referral)
    if shows_identity:
        audit_reads(
            actor=user, objects=[referral.victim], channel="web", ip_address=client_ip(request)
        )
    allowed = allowed_transitions(user, referral)
    can_record = can_record_service(user, referral)
    return {
        "referral": referral,
        "side": side,
        "shows_identity": shows_identity,
        "summary": referral_summary(referral),
        # Declining needs a reason: it has a form of its own below the buttons.
        "transitions": [name for name in allowed if name != Transition.DECLINE],
        "can_decline": Transition.DECLINE in allowed,
        "decline_form": extra.pop("decline_form", DeclineForm()),
        "service_form": extra.pop("service_form", ServiceForm() if can_record else None),
        "services": services_visible_to(user).filter(referral=referral).select_related("agency"),
        "history": referral_history(user, referral),
        **extra,
    }


def _visible_referral(request: HttpRequest, pk):
    return get_object_or_404(
        referrals_visible_to(request.user).select_related("victim", "from_agency", "to_agency"),
        pk=pk,
    )


@allowed_if(can_browse_referrals)
def referral_detail(request: HttpRequest, pk) -> HttpResponse:
    """The referral: a summary while pending for the receiver, the referral view after."""
    referral = _visible_referral(request, pk)
    return render(request, "referrals/referral_detail.html", _detail_context(request, referral))


@require_POST
@allowed_if(can_browse_referrals)
def referral_act(request: HttpRequest, pk, transition: str) -> HttpResponse:
    """Accept, decline, start, complete, close or withdraw; a step not allowed from the current
    status answers 409 and changes nothing."""
    referral = _visible_referral(request, pk)
    decline_form = DeclineForm(request.POST if transition == "decline" else None)
    if transition == "decline" and not decline_form.is_valid():
        context = _detail_context(request, referral, decline_form=decline_form)
        return render(request, "referrals/referral_detail.html", context, status=400)
    try:
        referral_transition(
            referral_id=referral.pk,
            user=request.user,
            transition=transition,
            reason=decline_form.cleaned_data["reason"] if transition == "decline" else "",
        )
    except TransitionNotAllowed:
        referral.refresh_from_db()
        messages.error(
            request,
            _("This step is not possible any more: the referral is %(status)s.")
            % {"status": referral.get_status_display()},
        )
        context = _detail_context(request, referral)
        return render(request, "referrals/referral_detail.html", context, status=409)
    except ValidationError as error:
        if decline_form.is_bound:  # the reason goes back next to its field
            add_service_errors(decline_form, error)
        else:  # e.g. a step that does not exist: said on top of the page
            for message in error.messages:
                messages.error(request, message)
        context = _detail_context(request, referral, decline_form=decline_form)
        return render(request, "referrals/referral_detail.html", context, status=400)
    messages.success(request, DONE[transition])
    return redirect("referrals:detail", pk=referral.pk)


@require_POST
@allowed_if(can_record_service)
def service_new(request: HttpRequest, pk) -> HttpResponse:
    """Record a service delivered under an accepted referral the user's agency received."""
    referral = _visible_referral(request, pk)
    form = ServiceForm(request.POST)
    if submit(
        request,
        form,
        lambda: service_record(
            user=request.user, victim=referral.victim, referral=referral, **form.cleaned_data
        ),
        success=_("The service has been recorded."),
    ):
        return redirect("referrals:detail", pk=referral.pk)
    context = _detail_context(request, referral, service_form=form)
    return render(request, "referrals/referral_detail.html", context, status=400)
