"""Browser pages of case work: the sections on a victim's page (loaded by htmx), the forms
that write notes, care plans, risk assessments, documents and consent entries, and the one
route to a document's file."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ctms.audit import audit_reads
from ctms.decorators import allowed_if
from ctms.forms import submit
from ctms.request_context import client_ip
from victims.selectors import VictimAccess, victims_visible_to

from . import services
from .forms import (
    CarePlanForm,
    CaseNoteForm,
    ConsentForm,
    DocumentForm,
    GoalForm,
    RiskAssessmentForm,
)
from .policies import (
    can_edit_care_plan,
    can_fetch_documents,
    can_open_case_work,
    can_write_case_work,
)
from .selectors import (
    care_plans_visible_to,
    case_notes_visible_to,
    consents_visible_to,
    documents_servable_to,
    documents_visible_to,
    risk_assessments_visible_to,
)


def _victim_in_view(request: HttpRequest, pk):
    """A victim whose case work the user may see: held in full or through the referral view."""
    return get_object_or_404(
        victims_visible_to(request.user, at_least=VictimAccess.REFERRAL), pk=pk
    )


def _writable_victim(request: HttpRequest, pk):
    victim = _victim_in_view(request, pk)
    if not can_write_case_work(request.user, victim):
        raise Http404
    return victim


@allowed_if(can_open_case_work)
def sections(request: HttpRequest, pk) -> HttpResponse:
    """The case-work sections of a victim's page (notes, risk, care plans, documents,
    consent), each record shown audited as read."""
    user = request.user
    victim = _victim_in_view(request, pk)
    notes = list(case_notes_visible_to(user).filter(victim=victim).select_related("agency"))
    risks = list(risk_assessments_visible_to(user).filter(victim=victim).select_related("agency"))
    plans = list(
        care_plans_visible_to(user)
        .filter(victim=victim)
        .select_related("agency")
        .prefetch_related("goals__tasks__assigned_to")
    )
    documents = list(documents_visible_to(user).filter(victim=victim).select_related("agency"))
    servable = set(documents_servable_to(user).filter(victim=victim).values_list("pk", flat=True))
    consents = list(
        consents_visible_to(user).filter(victim=victim).select_related("recorded_by", "document")
    )
    audit_reads(
        actor=user,
        objects=[*notes, *risks, *plans, *documents, *consents],
        channel="web",
        ip_address=client_ip(request),
    )
    for plan in plans:
        plan.editable = can_edit_care_plan(user, plan)
    return render(
        request,
        "casework/sections.html",
        {
            "victim": victim,
            "notes": notes,
            "risks": risks,
            "latest_risk": risks[0] if risks else None,
            "plans": plans,
            "documents": documents,
            "servable": servable,
            "consents": consents,
            "can_write": can_write_case_work(user, victim),
        },
    )


def _record_page(request, victim, form, write, *, success: str, title: str, anchor: str):
    if submit(request, form, write, success=success):
        return redirect(f"{victim_url(victim)}#{anchor}")
    return render(
        request, "casework/record_form.html", {"form": form, "victim": victim, "title": title}
    )


def victim_url(victim) -> str:
    return reverse("victims:detail", args=[victim.pk])


@allowed_if(can_open_case_work)
def note_new(request: HttpRequest, pk) -> HttpResponse:
    victim = _writable_victim(request, pk)
    form = CaseNoteForm(request.POST or None)
    return _record_page(
        request,
        victim,
        form,
        lambda: services.case_note_create(user=request.user, victim=victim, data=form.cleaned_data),
        success=_("The note has been saved."),
        title=_("Write a case note"),
        anchor="case-notes",
    )


@allowed_if(can_open_case_work)
def risk_assessment_new(request: HttpRequest, pk) -> HttpResponse:
    victim = _writable_victim(request, pk)
    form = RiskAssessmentForm(request.POST or None)
    return _record_page(
        request,
        victim,
        form,
        lambda: services.risk_assessment_create(
            user=request.user, victim=victim, data=form.cleaned_data
        ),
        success=_("The risk assessment has been saved."),
        title=_("Assess the risk"),
        anchor="risk-assessments",
    )


@allowed_if(can_open_case_work)
def care_plan_new(request: HttpRequest, pk) -> HttpResponse:
    victim = _writable_victim(request, pk)
    form = CarePlanForm(request.POST or None, agency_id=request.user.agency_id)
    return _record_page(
        request,
        victim,
        form,
        lambda: services.care_plan_create(user=request.user, victim=victim, data=form.plan_data()),
        success=_("The care plan has been saved."),
        title=_("Write a care plan"),
        anchor="care-plans",
    )


@allowed_if(can_open_case_work)
def goal_new(request: HttpRequest, pk) -> HttpResponse:
    plan = get_object_or_404(care_plans_visible_to(request.user).select_related("victim"), pk=pk)
    if not can_edit_care_plan(request.user, plan):
        raise Http404
    form = GoalForm(request.POST or None, agency_id=request.user.agency_id)
    return _record_page(
        request,
        plan.victim,
        form,
        lambda: services.care_plan_goal_add(
            user=request.user, plan_id=plan.pk, data=form.goal_data()
        ),
        success=_("The goal has been added."),
        title=_("Add a goal to the care plan"),
        anchor="care-plans",
    )


@require_POST
@allowed_if(can_open_case_work)
def task_done(request: HttpRequest, pk) -> HttpResponse:
    """Mark a care-plan task done today; back to the victim's page."""
    task = services.care_plan_task_complete(user=request.user, task_id=pk)
    messages.success(request, _("The task is done."))
    return redirect(f"{victim_url(task.goal.plan.victim)}#care-plans")


@allowed_if(can_open_case_work)
def document_new(request: HttpRequest, pk) -> HttpResponse:
    victim = _writable_victim(request, pk)
    form = DocumentForm(request.POST or None, request.FILES or None)

    def write():
        return services.document_upload(
            user=request.user,
            upload=form.cleaned_data["file"],
            kind=form.cleaned_data["kind"],
            title=form.cleaned_data["title"],
            victim=victim,
        )

    response = _record_page(
        request,
        victim,
        form,
        write,
        success=_("The document has been attached."),
        title=_("Attach a document"),
        anchor="documents",
    )
    if request.method == "POST" and response.status_code == 200:
        response.status_code = 400  # a refused file: the form again, with the reason
    return response


@allowed_if(can_open_case_work)
def consent_new(request: HttpRequest, pk) -> HttpResponse:
    victim = _writable_victim(request, pk)
    documents = documents_visible_to(request.user).filter(victim=victim)
    form = ConsentForm(request.POST or None, documents=documents)
    return _record_page(
        request,
        victim,
        form,
        lambda: services.consent_record(user=request.user, victim=victim, **form.cleaned_data),
        success=_("The consent has been recorded."),
        title=_("Record consent"),
        anchor="consents",
    )


@allowed_if(can_fetch_documents)
def document_file(request: HttpRequest, pk) -> FileResponse:
    """The file of a document, to users with full access to what it is attached to; never
    cached. Anyone else gets a 404. Audited."""
    document = documents_servable_to(request.user).filter(pk=pk).first()
    if document is None or not document.file:
        raise Http404
    audit_reads(
        actor=request.user, objects=[document], channel="web", ip_address=client_ip(request)
    )
    extension = document.file.name.rsplit(".", 1)[-1]
    response = FileResponse(
        document.file.open("rb"),
        content_type=document.content_type,
        as_attachment=document.content_type == "application/pdf",
        filename=f"{document.kind}-{str(document.pk)[:8]}.{extension}",
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
