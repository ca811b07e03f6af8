"""Browser pages of hand-overs: the list, one hand-over with its answer buttons and history,
the answer itself (also from the home page), offering a person to another agency, and asking
for the record of a possible duplicate the user may not see."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ctms.decorators import allowed_if, audit_shown
from ctms.errors import TransitionNotAllowed
from ctms.forms import submit
from victims.selectors import VictimAccess, victims_visible_to

from .choices import HandoverTransitionName
from .forms import HandoverDeclineForm, MatchAccessForm, TransferForm
from .policies import allowed_transitions, can_browse_handovers, can_request_access, can_transfer
from .selectors import handover_side, handovers_sent, handovers_visible_to, with_person
from .services import handover_request_access, handover_transfer, handover_transition

LIST_LIMIT = 100


@allowed_if(can_browse_handovers)
def handover_list(request: HttpRequest) -> HttpResponse:
    """Hand-overs received by the user's agency (waiting ones first) and those it sent."""
    user = request.user
    visible = handovers_visible_to(user).select_related("victim", "from_agency", "to_agency")
    received = with_person(
        user,
        visible.filter(to_agency_id=user.agency_id).order_by("status", "-created_on")[:LIST_LIMIT],
    )
    sent_rows = handovers_sent(user).select_related("victim", "from_agency", "to_agency")
    sent = with_person(user, sent_rows[:LIST_LIMIT])
    audit_shown(request, [person for _h, person, _s in received + sent if person])
    return render(request, "handovers/handover_list.html", {"received": received, "sent": sent})


def _visible_handover(request: HttpRequest, pk):
    return get_object_or_404(
        handovers_visible_to(request.user).select_related(
            "victim", "from_agency", "to_agency", "case"
        ),
        pk=pk,
    )


def _detail_context(request: HttpRequest, handover, **extra) -> dict:
    user = request.user
    [(handover, person, summary)] = with_person(user, [handover])
    if person is not None:
        audit_shown(request, [person])
    allowed = allowed_transitions(user, handover)
    return {
        "handover": handover,
        "person": person,
        "summary": summary,
        "side": handover_side(user, handover),
        "buttons": [name for name in allowed if name != HandoverTransitionName.DECLINE],
        "can_decline": HandoverTransitionName.DECLINE in allowed,
        "decline_form": extra.pop("decline_form", HandoverDeclineForm()),
        "history": handover.transitions.select_related("by_agency"),
        **extra,
    }


@allowed_if(can_browse_handovers)
def handover_detail(request: HttpRequest, pk) -> HttpResponse:
    """One hand-over: the person as the reader may see them, the answer buttons, the history."""
    handover = _visible_handover(request, pk)
    return render(request, "handovers/handover_detail.html", _detail_context(request, handover))


@require_POST
@allowed_if(can_browse_handovers)
def handover_act(request: HttpRequest, pk, transition: str) -> HttpResponse:
    """Accept, decline (with a reason) or withdraw; a step not allowed from the current status
    answers 409 and changes nothing. Back to `next` (the home page) when it says so."""
    handover = _visible_handover(request, pk)
    is_decline = transition == HandoverTransitionName.DECLINE
    decline_form = HandoverDeclineForm(request.POST if is_decline else None)
    if is_decline and not decline_form.is_valid():
        context = _detail_context(request, handover, decline_form=decline_form)
        return render(request, "handovers/handover_detail.html", context, status=400)
    try:
        handover_transition(
            handover_id=handover.pk,
            user=request.user,
            transition=transition,
            reason=decline_form.cleaned_data["reason"] if is_decline else "",
        )
    except TransitionNotAllowed:
        handover.refresh_from_db()
        messages.error(
            request,
            _("This step is not possible any more: the hand-over is %(status)s.")
            % {"status": handover.get_status_display()},
        )
        context = _detail_context(request, handover)
        return render(request, "handovers/handover_detail.html", context, status=409)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        context = _detail_context(request, handover, decline_form=decline_form)
        return render(request, "handovers/handover_detail.html", context, status=400)
    messages.success(request, _("The hand-over has been updated."))
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("handovers:detail", pk=handover.pk)


@allowed_if(can_transfer)
def transfer_new(request: HttpRequest, victim_pk) -> HttpResponse:
    """Offer a person the user's agency holds (and one of its cases) to another agency."""
    user = request.user
    victim = get_object_or_404(victims_visible_to(user, at_least=VictimAccess.FULL), pk=victim_pk)
    if not can_transfer(user, victim):
        messages.error(request, _("Only the agency that holds the record transfers it."))
        return redirect("victims:detail", pk=victim.pk)
    cases = victim.cases.filter(agency_id=victim.agency_id)
    form = TransferForm(request.POST or None, cases=cases, own_agency_id=victim.agency_id)
    handover = submit(
        request,
        form,
        lambda: handover_transfer(user=user, victim=victim, **form.cleaned_data),
        success=_("The transfer has been offered; the other agency answers it."),
    )
    if handover:
        return redirect("handovers:detail", pk=handover.pk)
    audit_shown(request, [victim])
    return render(request, "handovers/transfer_form.html", {"form": form, "victim": victim})


@allowed_if(can_request_access)
def match_access(request: HttpRequest) -> HttpResponse:
    """ "Ask for access" from the intake's matches: an access request for the person a match
    token names. Nothing about that person is shown here, before or after."""
    user = request.user
    initial = {"match": request.GET.get("match", "")}
    data = request.POST if request.method == "POST" else None
    form = MatchAccessForm(data, user=user, initial=initial)
    handover = submit(
        request,
        form,
        lambda: handover_request_access(
            user=user, victim=form.cleaned_data["victim"], reason=form.cleaned_data["reason"]
        ),
        success=_("Your request has been sent; the agency that holds the record answers it."),
    )
    if handover:
        return redirect("handovers:detail", pk=handover.pk)
    status = 400 if form.is_bound else 200
    return render(request, "handovers/match_access.html", {"form": form}, status=status)
