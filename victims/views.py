"""Browser pages of victims: the list, intake, the profile with its timeline, the gazetteer
pickers, repatriations and follow-ups."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from agencies.models import Agency
from ctms.audit import audit_reads
from ctms.decorators import allowed_if
from ctms.errors import Conflict, ValidationError
from ctms.forms import submit
from ctms.pagination import keyset_page
from ctms.request_context import client_ip

from .forms import (
    ArchiveForm,
    FollowUpForm,
    MergeForm,
    PhotoForm,
    RepatriationForm,
    VictimFilterForm,
    VictimIntakeForm,
)
from .matching import QUERY_FIELDS, match_json, search_matches
from .models import Victim
from .policies import (
    can_archive_victim,
    can_browse_victims,
    can_edit_victim,
    can_merge_records,
    can_record_follow_up,
    can_record_repatriation,
)
from .selectors import (
    FIELDS_BY_ACCESS,
    VictimAccess,
    archived_victims_of,
    link_counts,
    reference_q,
    victim_access,
    victim_search,
    victim_timeline,
    victims_visible_to,
)
from .services import (
    follow_up_record,
    repatriation_record,
    victim_create,
    victim_merge,
    victim_photo_set,
    victim_update,
)
from .services import victim_archive as victim_archive_service

PAGE_SIZE = 25
MAX_PAGE_SIZE = 100
LIST_FIELDS = (
    "id",
    "created_at",
    "agency__acronym",
    "agency__name",  # the acronym's title, in the interface language
    "agency__name_khmer",
    "given_name",
    "family_name",
    "name_khmer",
    "sex",
    "date_of_birth",
    "birth_year",
    "home_province",
    "trafficking_status",
)


def _page_size(request: HttpRequest) -> int:
    """`?page_size=` between 1 and MAX_PAGE_SIZE; anything else gives the default."""
    try:
        size = int(request.GET.get("page_size", PAGE_SIZE))
    except ValueError:
        return PAGE_SIZE
    return size if 1 <= size <= MAX_PAGE_SIZE else PAGE_SIZE


@allowed_if(can_browse_victims)
def victim_list(request: HttpRequest) -> HttpResponse:
    """Victims the case worker holds in full: search, filters, keyset pages (no total count)."""
    user = request.user
    agencies = Agency.objects.filter(Q(pk=user.agency_id) | Q(parent_id=user.agency_id))
    form = VictimFilterForm(request.GET or None, agencies=agencies)
    victims = victim_search(user, **form.filters()).select_related("agency").only(*LIST_FIELDS)
    page = keyset_page(victims, cursor=request.GET.get("cursor", ""), size=_page_size(request))
    audit_reads(actor=user, objects=page.items, channel="web", ip_address=client_ip(request))
    query = request.GET.copy()
    query.pop("cursor", None)
    return render(
        request,
        "victims/victim_list.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


@allowed_if(can_browse_victims)
def victim_new(request: HttpRequest) -> HttpResponse:
    """Intake: nothing typed is lost when the form comes back with errors. Before saving, the
    possible duplicates are shown (SPEC section 8); the user opens one, asks for access to one
    held elsewhere, or confirms that this is a new person."""
    form = VictimIntakeForm(request.POST or None)
    matches = []
    if request.method == "POST" and form.is_valid() and not request.POST.get("confirm_new"):
        matches = search_matches(user=request.user, data=form.cleaned_data, channel="web")
    if not matches:
        victim = submit(
            request,
            form,
            lambda: victim_create(user=request.user, data=form.service_data()),
            success=_("The person has been taken in."),
        )
        if victim:
            return redirect("victims:detail", pk=victim.pk)
    context = {"form": form, "matches": [match_json(match) for match in matches]}
    return render(request, "victims/victim_form.html", context)


@require_GET
@allowed_if(can_browse_victims)
def geo_fields(request: HttpRequest) -> HttpResponse:
    """htmx: the province → district → commune → village pickers for the values chosen so far."""
    form = VictimIntakeForm(initial=request.GET.dict())
    return render(request, "victims/_geo_fields.html", {"form": form})


# Every role may ask: those who may not see the victim get the same 404 as for a missing one.
@login_required
def victim_detail(request: HttpRequest, pk) -> HttpResponse:
    """The victim's profile, showing only what the user's access allows; the read is audited.
    A victim the user may not see answers 404, as if it did not exist."""
    user = request.user
    victim = get_object_or_404(victims_visible_to(user).select_related("agency"), pk=pk)
    access = victim_access(user, victim)
    audit_reads(actor=user, objects=[victim], channel="web", ip_address=client_ip(request))
    context = {
        "victim": victim,
        "access": access,
        "fields": set(FIELDS_BY_ACCESS[access]),
        "full": access >= VictimAccess.FULL,
        "police": access == VictimAccess.POLICE,
    }
    if access >= VictimAccess.FULL:
        context["timeline"] = victim_timeline(victim)
    # The cases and referrals panels come from those apps' template tags (cases_ui,
    # referrals_ui), which apply their own scope rules.
    context["sees_referrals"] = access >= VictimAccess.REFERRAL
    return render(request, "victims/victim_detail.html", context)


@allowed_if(can_edit_victim)
def victim_edit(request: HttpRequest, pk) -> HttpResponse:
    """Correct or complete a victim record held in full; the audit names the fields changed."""
    victim = get_object_or_404(victims_visible_to(request.user, at_least=VictimAccess.FULL), pk=pk)
    form = VictimIntakeForm(request.POST or None, instance=victim)
    if submit(
        request,
        form,
        lambda: victim_update(user=request.user, victim_id=victim.pk, data=form.service_data()),
        success=_("The record has been updated."),
    ):
        return redirect("victims:detail", pk=victim.pk)
    return render(request, "victims/victim_form.html", {"form": form, "victim": victim})


@allowed_if(can_edit_victim)
def victim_photo_edit(request: HttpRequest, pk) -> HttpResponse:
    """Add, replace or remove the person's photo (whoever may correct the record). The file is
    judged by its content and stored without its metadata; a refused one is a form error."""
    victim = get_object_or_404(victims_visible_to(request.user, at_least=VictimAccess.FULL), pk=pk)
    if not can_edit_victim(request.user, victim):
        raise Http404
    posted = request.method == "POST"
    form = PhotoForm(request.POST if posted else None, request.FILES if posted else None)
    removing = posted and bool(request.POST.get("remove"))
    if submit(
        request,
        form,
        lambda: victim_photo_set(
            user=request.user,
            victim_id=victim.pk,
            photo=None if removing else form.cleaned_data["photo"],
        ),
        success=_("The photo has been removed.") if removing else _("The photo has been saved."),
    ):
        return redirect("victims:detail", pk=victim.pk)
    return render(request, "victims/photo_form.html", {"form": form, "victim": victim})


@allowed_if(can_record_follow_up)
def follow_up_new(request: HttpRequest, pk) -> HttpResponse:
    """Record a reintegration follow-up for a victim held in full or under an open referral."""
    victim = get_object_or_404(
        victims_visible_to(request.user, at_least=VictimAccess.REFERRAL), pk=pk
    )
    form = FollowUpForm(request.POST or None)
    if submit(
        request,
        form,
        lambda: follow_up_record(user=request.user, data={"victim": victim, **form.cleaned_data}),
        success=_("The follow-up has been recorded."),
    ):
        return redirect("victims:detail", pk=victim.pk)
    return render(
        request,
        "victims/record_form.html",
        {"form": form, "victim": victim, "title": _("Record a follow-up")},
    )


@allowed_if(can_record_repatriation)
def repatriation_new(request: HttpRequest, pk) -> HttpResponse:
    """Record that the person was received back from a foreign authority."""
    victim = get_object_or_404(victims_visible_to(request.user, at_least=VictimAccess.FULL), pk=pk)
    form = RepatriationForm(request.POST or None, initial={"receiving_agency": request.user.agency})

    def write():
        data = {k: v for k, v in form.cleaned_data.items() if k != "assisted_by"}
        return repatriation_record(
            user=request.user,
            data={"victim": victim, **data},
            assisted_by=form.cleaned_data["assisted_by"],
        )

    if submit(request, form, write, success=_("The repatriation has been recorded.")):
        return redirect("victims:detail", pk=victim.pk)
    return render(
        request,
        "victims/record_form.html",
        {"form": form, "victim": victim, "title": _("Record a repatriation")},
    )


def _victim_fields_for_matching(victim) -> dict:
    return {name: getattr(victim, name) for name in QUERY_FIELDS}


@allowed_if(can_merge_records)
def victim_duplicates(request: HttpRequest, pk) -> HttpResponse:
    """Possible duplicates of a record held in full: compare and merge those also held in full,
    ask for access to those held elsewhere."""
    user = request.user
    victim = get_object_or_404(victims_visible_to(user, at_least=VictimAccess.FULL), pk=pk)
    matches = search_matches(
        user=user, data=_victim_fields_for_matching(victim), exclude_id=victim.pk, channel="web"
    )
    shown = [match_json(match) for match in matches]
    held = set(
        victims_visible_to(user, at_least=VictimAccess.FULL)
        .filter(pk__in=[match["victim"] for match in shown if "victim" in match])
        .values_list("pk", flat=True)
    )
    for match in shown:
        match["full"] = "victim" in match and uuid.UUID(match["victim"]) in held
    return render(request, "victims/victim_duplicates.html", {"victim": victim, "matches": shown})


MERGE_PAGE_FIELDS = (
    "given_name", "family_name", "name_khmer", "sex", "date_of_birth", "birth_year",
    "citizenship", "primary_language", "contact", "home_province", "home_district",
    "home_commune", "home_village", "trafficking_status",
)  # fmt: skip


@allowed_if(can_merge_records)
def victim_merge_page(request: HttpRequest, pk) -> HttpResponse:
    """Both records side by side, then the merge on confirmation (SPEC section 8): the record
    in the URL survives, the one named `duplicate` is merged into it."""
    user = request.user
    held = victims_visible_to(user, at_least=VictimAccess.FULL).select_related("agency")
    survivor = get_object_or_404(held, pk=pk)
    form = MergeForm(request.POST if request.method == "POST" else request.GET or None)
    duplicate = None
    if form.is_valid():
        duplicate = _held_duplicate(held.exclude(pk=survivor.pk), form.cleaned_data["duplicate"])
        if duplicate is None:
            form.add_error("duplicate", _("No other record you hold in full has this reference."))
    if duplicate is not None and request.method == "POST":
        try:
            victim_merge(user=user, survivor_id=survivor.pk, duplicate_id=duplicate.pk)
        except (Conflict, ValidationError) as error:
            form.add_error(None, error.messages[0] if hasattr(error, "messages") else str(error))
        else:
            messages.success(request, _("The records have been merged."))
            return redirect("victims:detail", pk=survivor.pk)
    context = {"victim": survivor, "duplicate": duplicate, "form": form}
    if duplicate is not None:
        audit_reads(actor=user, objects=[survivor, duplicate], channel="web",
                    ip_address=client_ip(request))  # fmt: skip
        context["rows"] = [
            (Victim._meta.get_field(name).verbose_name, getattr(survivor, name),
             getattr(duplicate, name), _display(survivor, name), _display(duplicate, name))
            for name in MERGE_PAGE_FIELDS
        ]  # fmt: skip
        context["links"] = [
            (label, link_counts(survivor).get(label, 0), count)
            for label, count in link_counts(duplicate).items()
        ]
    return render(request, "victims/victim_merge.html", context)


def _held_duplicate(held, reference: str):
    condition = reference_q(reference.strip())
    return None if condition is None else held.filter(condition).first()


def _display(victim, name: str) -> str:
    display = getattr(victim, f"get_{name}_display", None)
    value = display() if display else getattr(victim, name)
    return "" if value in (None, "") else str(value)


@allowed_if(can_archive_victim)
def victim_archive(request: HttpRequest, pk) -> HttpResponse:
    """Archive a person held in full, with a reason: from then on only the owning agency's
    archive list and the administrators show them."""
    victim = get_object_or_404(victims_visible_to(request.user, at_least=VictimAccess.FULL), pk=pk)
    form = ArchiveForm(request.POST or None)
    if submit(
        request,
        form,
        lambda: victim_archive_service(
            user=request.user, victim_id=victim.pk, reason=form.cleaned_data["reason"]
        ),
        success=_("The record has been archived."),
    ):
        return redirect("victims:archive_list")
    return render(
        request,
        "victims/record_form.html",
        {"form": form, "victim": victim, "title": _("Archive this record")},
    )


@allowed_if(can_archive_victim)
def archive_list(request: HttpRequest) -> HttpResponse:
    """The agency's archived records (every one for administrators), newest first; audited."""
    page = keyset_page(
        archived_victims_of(request.user).select_related("agency"),
        cursor=request.GET.get("cursor", ""),
        size=_page_size(request),
        field="updated_at",
    )
    audit_reads(
        actor=request.user, objects=page.items, channel="web", ip_address=client_ip(request)
    )
    return render(request, "victims/archive_list.html", {"page": page})
