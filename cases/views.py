"""Browser pages of cases, police operations and prosecutions."""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ctms.decorators import allowed_if, audit_shown
from ctms.forms import add_service_errors, submit
from ctms.pagination import keyset_page
from victims.selectors import VictimAccess, victim_search, victims_visible_to

from .forms import (
    CaseCloseForm,
    CaseForm,
    CaseVictimForm,
    OperationForm,
    ProsecutionForm,
    RescueFormSet,
    SendToCourtForm,
    SuspectFormSet,
    SuspectRowForm,
    VerdictForm,
)
from .policies import (
    can_browse_cases,
    can_browse_operations,
    can_browse_prosecutions,
    can_edit_case,
    can_edit_operation,
    can_edit_prosecution,
    can_link_case,
    can_open_case,
    can_read_operations,
    can_record_operation,
    can_record_prosecution,
    can_record_verdict,
    can_send_case_to_court,
)
from .selectors import (
    case_for_filing,
    cases_for_filing_search,
    cases_visible_to,
    operations_visible_to,
    prosecutions_visible_to,
    suspects_visible_to,
)
from .services import (
    case_create,
    case_link,
    case_update,
    defendant_verdict_record,
    operation_record,
    operation_update,
    prosecution_record,
    prosecution_update,
    suspect_create,
)
from .services import case_send_to_court as case_send_to_court_service

PAGE_SIZE = 25


@allowed_if(can_browse_cases)
def case_list(request: HttpRequest) -> HttpResponse:
    cases = cases_visible_to(request.user).select_related("agency")
    page = keyset_page(
        cases, cursor=request.GET.get("cursor", ""), size=PAGE_SIZE, field="opened_on"
    )
    return render(request, "cases/case_list.html", {"page": page, "query": ""})


@allowed_if(can_open_case)
def case_new(request: HttpRequest) -> HttpResponse:
    """Open a case linking the victim it was opened from and the suspects named."""
    user = request.user
    victim = _victim_from(user, request.POST.get("victim") or request.GET.get("victim"))
    form = CaseForm(request.POST or None)
    suspects = SuspectFormSet(request.POST or None, prefix="suspects")

    def write():
        # One transaction: a case that fails leaves no orphan suspect behind.
        with transaction.atomic():
            named = [
                suspect_create(user=user, data=_suspect_data(row.cleaned_data))
                for row in suspects
                if row.has_changed()
            ]
            return case_create(
                user=user,
                data=form.cleaned_data,
                victims=[victim] if victim else [],
                suspects=named,
            )

    case = submit(request, form, write, success=_("The case has been opened."), formsets=[suspects])
    if case:
        return redirect("cases:case_detail", pk=case.pk)
    return render(
        request, "cases/case_form.html", {"form": form, "suspects": suspects, "victim": victim}
    )


def _victim_from(user, victim_id: str | None):
    """The victim a case is opened from, if the user holds it in full; else none."""
    try:
        uuid.UUID(str(victim_id))
    except ValueError:
        return None
    return victims_visible_to(user, at_least=VictimAccess.FULL).filter(pk=victim_id).first()


def _suspect_data(cleaned: dict) -> dict:
    return {key: value for key, value in cleaned.items() if value not in ("", None)}


def _render_case(request, case, status: int = 200, **forms) -> HttpResponse:
    user = request.user
    can_link = can_link_case(user, case)
    full = victims_visible_to(user, at_least=VictimAccess.FULL)
    context = {
        "case": case,
        "victims": audit_shown(request, victims_visible_to(user).filter(cases=case)),
        # The suspects the user's scope holds, as the API lists them; their names are audited.
        "suspects": audit_shown(request, suspects_visible_to(user).filter(cases=case)),
        "operations": operations_visible_to(user).filter(case=case),
        "prosecutions": prosecutions_visible_to(user).filter(case=case),
        "victim_form": forms.get("victim_form")
        or (CaseVictimForm(victims=full, picker_url=_picker_url(case)) if can_link else None),
        "suspect_form": forms.get("suspect_form")
        or (SuspectRowForm(prefix="suspect") if can_link else None),
        "court_form": forms.get("court_form")
        or (SendToCourtForm() if can_send_case_to_court(user, case) else None),
        "courts": case.court_submissions.select_related("court"),
    }
    return render(request, "cases/case_detail.html", context, status=status)


def _picker_url(case) -> str:
    return reverse("cases:case_victim_picker", args=[case.pk])


def _visible_case(request: HttpRequest, pk):
    return get_object_or_404(cases_visible_to(request.user).select_related("agency"), pk=pk)


def _posted(request: HttpRequest):
    """The posted data, even when empty (an empty POST is a form with errors, not a GET)."""
    return request.POST if request.method == "POST" else None


def _editable_case(request: HttpRequest, pk):
    """A case the user may change; one they may only read (or not see) is not found."""
    case = _visible_case(request, pk)
    if not can_edit_case(request.user, case):
        raise Http404
    return case


@allowed_if(can_edit_case)
def case_edit(request: HttpRequest, pk) -> HttpResponse:
    """Edit every field of a case but its closing; a closed case can be reopened here."""
    case = _editable_case(request, pk)
    form = CaseForm(_posted(request), instance=case)

    def write():
        return case_update(user=request.user, case_id=case.pk, data=form.changes())

    if submit(request, form, write, success=_("The case has been saved.")):
        return redirect("cases:case_detail", pk=case.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "cases/case_form.html", {"form": form, "case": case}, status=status)


@allowed_if(can_edit_case)
def case_close(request: HttpRequest, pk) -> HttpResponse:
    """Close a case with the date and the reason; the button asks for confirmation."""
    case = _editable_case(request, pk)
    form = CaseCloseForm(_posted(request))

    def write():
        return case_update(user=request.user, case_id=case.pk, data=form.cleaned_data)

    if submit(request, form, write, success=_("The case has been closed.")):
        return redirect("cases:case_detail", pk=case.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "cases/case_close.html", {"form": form, "case": case}, status=status)


@allowed_if(can_browse_cases)
def case_detail(request: HttpRequest, pk) -> HttpResponse:
    """A case with its victims (those the user may see), suspects, operations, prosecutions."""
    return _render_case(request, _visible_case(request, pk))


PICKS = 10


@allowed_if(can_link_case)
def case_victim_picker(request: HttpRequest, pk) -> HttpResponse:
    """htmx: the victims the user holds in full whose name or short reference matches what is
    typed in "Add a victim", as the options of its list (at most ten; names read are audited)."""
    case = _visible_case(request, pk)
    if not can_link_case(request.user, case):
        raise Http404
    query = request.GET.get("reference", "").strip()
    found = (
        victim_search(request.user, query=query).exclude(cases=case)[:PICKS]
        if len(query) >= 2
        else []
    )
    return render(
        request, "cases/_victim_options.html", {"victims": audit_shown(request, list(found))}
    )


@require_POST
@allowed_if(can_send_case_to_court)
def case_send_to_court(request: HttpRequest, pk) -> HttpResponse:
    """Send the case to a court: its clerks may then read it and file prosecutions on it."""
    case = _visible_case(request, pk)
    if not can_send_case_to_court(request.user, case):
        raise Http404
    form = SendToCourtForm(request.POST)
    if submit(
        request,
        form,
        lambda: case_send_to_court_service(
            user=request.user, case_id=case.pk, court=form.cleaned_data["court"]
        ),
        success=_("The case has been sent to the court."),
    ):
        return redirect("cases:case_detail", pk=case.pk)
    return _render_case(request, case, status=400, court_form=form)


@require_POST
@allowed_if(can_link_case)
def case_add_victim(request: HttpRequest, pk) -> HttpResponse:
    case = _visible_case(request, pk)
    form = CaseVictimForm(
        request.POST,
        victims=victims_visible_to(request.user, at_least=VictimAccess.FULL),
        picker_url=_picker_url(case),
    )
    if submit(
        request,
        form,
        lambda: case_link(user=request.user, case_id=case.pk, victims=[form.victim]),
        success=_("The victim has been added to the case."),
    ):
        return redirect("cases:case_detail", pk=case.pk)
    return _render_case(request, case, status=400, victim_form=form)


@require_POST
@allowed_if(can_link_case)
def case_add_suspect(request: HttpRequest, pk) -> HttpResponse:
    case = _visible_case(request, pk)
    form = SuspectRowForm(request.POST, prefix="suspect")

    def write():
        with transaction.atomic():
            suspect = suspect_create(user=request.user, data=_suspect_data(form.cleaned_data))
            return case_link(user=request.user, case_id=case.pk, suspects=[suspect])

    if submit(request, form, write, success=_("The suspect has been added to the case.")):
        return redirect("cases:case_detail", pk=case.pk)
    return _render_case(request, case, status=400, suspect_form=form)


@allowed_if(can_browse_operations)
def operation_list(request: HttpRequest) -> HttpResponse:
    operations = operations_visible_to(request.user).filter(agency_id=request.user.agency_id)
    page = keyset_page(
        operations, cursor=request.GET.get("cursor", ""), size=PAGE_SIZE, field="date"
    )
    return render(
        request, "cases/operation_list.html", {"page": page, "operations": page.items, "query": ""}
    )


@allowed_if(can_record_operation)
def operation_new(request: HttpRequest) -> HttpResponse:
    """ONE form for an operation: the suspects detained and the persons rescued, each with
    where they were placed. Minimal victim and suspect records are created for them."""
    user = request.user
    form = OperationForm(request.POST or None, cases=cases_visible_to(user))
    suspects = SuspectFormSet(request.POST or None, prefix="suspects")
    rescues = RescueFormSet(request.POST or None, prefix="rescues")

    def write():
        return operation_record(
            user=user,
            data=form.cleaned_data,
            suspects=_new_suspects(suspects),
            rescues=_new_rescues(rescues),
        )

    operation = submit(
        request,
        form,
        write,
        success=_("The operation has been logged."),
        formsets=[suspects, rescues],
    )
    if operation:
        return redirect("cases:operation_detail", pk=operation.pk)
    return render(
        request,
        "cases/operation_form.html",
        {"form": form, "suspects": suspects, "rescues": rescues},
    )


def _new_suspects(formset) -> list[dict]:
    return [_suspect_data(row.cleaned_data) for row in formset if row.has_changed()]


def _new_rescues(formset) -> list[dict]:
    return [
        {
            "victim": row.victim_data(),
            "placement": row.cleaned_data["placement"],
            "placed_with": row.cleaned_data.get("placed_with"),
        }
        for row in formset
        if row.has_changed()
    ]


@allowed_if(can_edit_operation)
def operation_edit(request: HttpRequest, pk) -> HttpResponse:
    """The operation's form again, filled in: correct its fields, take off a suspect logged by
    mistake, add suspects detained and persons rescued (handed over like the first ones)."""
    user = request.user
    operation = get_object_or_404(
        operations_visible_to(user).select_related("agency", "case"), pk=pk
    )
    if not can_edit_operation(user, operation):
        raise Http404
    detained = suspects_visible_to(user).filter(operations=operation)
    audit_shown(request, detained)  # their names are shown as the boxes to untick
    posted = _posted(request)
    form = OperationForm(
        posted, instance=operation, cases=cases_visible_to(user), detained=detained
    )
    suspects = SuspectFormSet(posted, prefix="suspects")
    rescues = RescueFormSet(posted, prefix="rescues")

    def write():
        data = dict(form.cleaned_data)
        released = list(data.pop("released", []))
        return operation_update(
            user=user,
            operation_id=operation.pk,
            data=data,
            suspects=_new_suspects(suspects),
            released=released,
            rescues=_new_rescues(rescues),
        )

    if submit(
        request,
        form,
        write,
        success=_("The operation has been saved."),
        formsets=[suspects, rescues],
    ):
        return redirect("cases:operation_detail", pk=operation.pk)
    status = 400 if request.method == "POST" else 200
    visible = set(
        victims_visible_to(user).filter(rescues__operation=operation).values_list("pk", flat=True)
    )
    rescued = [
        (rescue, rescue.victim if rescue.victim_id in visible else None)
        for rescue in operation.rescues.select_related("victim", "placed_with")
    ]
    audit_shown(request, [victim for _rescue, victim in rescued if victim])
    context = {
        "form": form,
        "suspects": suspects,
        "rescues": rescues,
        "operation": operation,
        "rescued": rescued,
    }
    return render(request, "cases/operation_form.html", context, status=status)


@allowed_if(can_read_operations)
def operation_detail(request: HttpRequest, pk) -> HttpResponse:
    user = request.user
    operation = get_object_or_404(
        operations_visible_to(user).select_related("agency", "case"), pk=pk
    )
    visible = set(
        victims_visible_to(user).filter(rescues__operation=operation).values_list("pk", flat=True)
    )
    rescues = [
        (rescue, rescue.victim if rescue.victim_id in visible else None)
        for rescue in operation.rescues.select_related("victim", "placed_with")
    ]
    audit_shown(request, [victim for _rescue, victim in rescues if victim])
    return render(
        request,
        "cases/operation_detail.html",
        {
            "operation": operation,
            "rescues": rescues,
            "suspects": audit_shown(
                request, suspects_visible_to(user).filter(operations=operation)
            ),
        },
    )


@allowed_if(can_browse_prosecutions)
def prosecution_list(request: HttpRequest) -> HttpResponse:
    prosecutions = prosecutions_visible_to(request.user).select_related("court")
    page = keyset_page(
        prosecutions, cursor=request.GET.get("cursor", ""), size=PAGE_SIZE, field="filed_on"
    )
    return render(
        request,
        "cases/prosecution_list.html",
        {"page": page, "prosecutions": page.items, "query": ""},
    )


@allowed_if(can_record_prosecution)
def prosecution_new(request: HttpRequest) -> HttpResponse:
    """File a prosecution at the clerk's own court; with the reference of a case sent to that
    court, its suspects are offered as defendants (a read of the case and of each suspect,
    audited). Any other reference reads like one that does not exist."""
    user = request.user
    reference = (request.POST or request.GET).get("case_reference", "").strip()
    case = case_for_filing(user, reference) if reference else None
    form = ProsecutionForm(
        request.POST or None,
        case=case,
        # a refresh of the defendants (htmx) keeps the boxes already ticked
        initial={"case_reference": reference, "defendants": request.GET.getlist("defendants")},
        picker_url=reverse("cases:prosecution_case_picker"),
    )

    def write():
        data = form.cleaned_data
        return prosecution_record(
            user=user,
            data={
                "case": case,
                "court_case_number": data["court_case_number"],
                "filed_on": data["filed_on"],
                "charges": data["charges"],
            },
            defendants=[{"suspect": suspect} for suspect in data["defendants"]],
        )

    prosecution = submit(request, form, write, success=_("The prosecution has been recorded."))
    if prosecution:
        return redirect("cases:prosecution_detail", pk=prosecution.pk)
    if case is not None:
        audit_shown(request, [case, *form.fields["defendants"].queryset])
    template = (
        "cases/_defendants_field.html"
        if request.headers.get("HX-Request")
        else "cases/prosecution_form.html"
    )
    return render(request, template, {"form": form, "case": case})


@allowed_if(can_record_prosecution)
def prosecution_case_picker(request: HttpRequest) -> HttpResponse:
    """htmx: the cases sent to the clerk's court whose short reference starts with what is
    typed in the prosecution form's case field, or with a suspect or victim of that name the
    clerk may see, as the options of its list (at most ten; names shown are audited)."""
    query = request.GET.get("case_reference", "").strip()
    found = list(cases_for_filing_search(request.user, query)[:PICKS]) if len(query) >= 2 else []
    options = []
    for case in found:
        names = list(suspects_visible_to(request.user).filter(cases=case)[:3])
        audit_shown(request, names)
        options.append((case, names))
    return render(request, "cases/_case_options.html", {"options": options})


def _filing_case(user, reference: str, prosecution=None):
    """The case named in the prosecution form: the prosecution's own case when its reference
    is given again, else a case sent to the court (`case_for_filing`)."""
    if not reference:
        return None
    current = prosecution.case if prosecution is not None else None
    if current is not None and reference.replace("-", "").lower() in (
        current.pk.hex,
        current.pk.hex[:8],
    ):
        return current
    return case_for_filing(user, reference)


@allowed_if(can_edit_prosecution)
def prosecution_edit(request: HttpRequest, pk) -> HttpResponse:
    """The prosecution's form again, filled in: its fields, its case, its defendants and their
    verdicts (each verdict change goes through the verdict service and keeps its history)."""
    user = request.user
    prosecution = _visible_prosecution(request, pk)
    if not can_edit_prosecution(user, prosecution):
        raise Http404
    posted = _posted(request)
    current_reference = str(prosecution.case_id)[:8] if prosecution.case_id else ""
    source = posted if posted is not None else request.GET
    reference = source.get("case_reference", current_reference).strip()
    case = _filing_case(user, reference, prosecution)
    defendants = list(prosecution.defendants.select_related("suspect"))
    form = ProsecutionForm(
        posted,
        case=case,
        initial={
            "court_case_number": prosecution.court_case_number,
            "filed_on": prosecution.filed_on,
            "charges": prosecution.charges,
            "case_reference": reference,
            "defendants": request.GET.getlist("defendants")
            if "defendants" in request.GET
            else [d.suspect_id for d in defendants],
        },
        picker_url=reverse("cases:prosecution_case_picker"),
    )
    verdicts = [(defendant, _verdict_form(defendant, None, posted)) for defendant in defendants]

    def write():
        data = form.cleaned_data
        with transaction.atomic():
            saved = prosecution_update(
                user=user,
                prosecution_id=prosecution.pk,
                data={
                    "case": case,
                    "court_case_number": data["court_case_number"],
                    "filed_on": data["filed_on"],
                    "charges": data["charges"],
                },
                defendants=list(data["defendants"]),
            )
            wrong = False
            for defendant, row in verdicts:
                if not row.has_changed() or defendant.suspect_id not in {
                    s.pk for s in data["defendants"]
                }:
                    continue
                try:
                    defendant_verdict_record(
                        user=user, defendant_id=defendant.pk, **row.cleaned_data
                    )
                except ValidationError as error:
                    add_service_errors(row, error)
                    wrong = True
            if wrong:  # nothing is kept: the rows say what to correct
                raise ValidationError(_("Please correct the rows marked below."))
            return saved

    rows = [row for _defendant, row in verdicts]
    if submit(
        request, form, write, success=_("The prosecution has been saved."), formsets=[_Rows(rows)]
    ):
        return redirect("cases:prosecution_detail", pk=prosecution.pk)
    if case is not None:
        audit_shown(request, [case, *form.fields["defendants"].queryset])
    if request.headers.get("HX-Request"):
        return render(request, "cases/_defendants_field.html", {"form": form, "case": case})
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "case": case, "prosecution": prosecution, "verdicts": verdicts}
    return render(request, "cases/prosecution_form.html", context, status=status)


class _Rows:
    """Verdict forms checked together with the prosecution form, like a formset."""

    def __init__(self, forms):
        self.forms = forms

    def is_valid(self) -> bool:
        return all([form.is_valid() for form in self.forms])


def _verdict_form(defendant, bound: VerdictForm | None, data=None) -> VerdictForm:
    """The defendant's verdict form: the one just posted (with its errors), else a fresh one."""
    if bound is not None and bound.prefix == f"d{defendant.pk}":
        return bound
    return VerdictForm(
        data,
        initial={
            "verdict": defendant.verdict,
            "verdict_on": defendant.verdict_on,
            "sentence_months": defendant.sentence_months,
        },
        prefix=f"d{defendant.pk}",
    )


def _render_prosecution(request, prosecution, bound=None, status: int = 200) -> HttpResponse:
    user = request.user
    can_judge = can_record_verdict(user, prosecution)
    defendants = [
        (defendant, _verdict_form(defendant, bound) if can_judge else None)
        for defendant in prosecution.defendants.select_related("suspect")
    ]
    parties = audit_shown(
        request,
        victims_visible_to(user).filter(cases=prosecution.case) if prosecution.case_id else [],
    )
    return render(
        request,
        "cases/prosecution_detail.html",
        {"prosecution": prosecution, "defendants": defendants, "parties": parties},
        status=status,
    )


def _visible_prosecution(request: HttpRequest, pk):
    return get_object_or_404(
        prosecutions_visible_to(request.user).select_related("court", "case"), pk=pk
    )


@allowed_if(can_browse_prosecutions)
def prosecution_detail(request: HttpRequest, pk) -> HttpResponse:
    """A prosecution with its defendants; the court's clerks record verdicts here."""
    return _render_prosecution(request, _visible_prosecution(request, pk))


@require_POST
@allowed_if(can_record_verdict)
def verdict_record(request: HttpRequest, pk, defendant_pk: int) -> HttpResponse:
    """Record a verdict; on an error the page comes back with what was typed and the message
    next to the field."""
    prosecution = _visible_prosecution(request, pk)
    form = VerdictForm(request.POST, prefix=f"d{defendant_pk}")
    if submit(
        request,
        form,
        lambda: defendant_verdict_record(
            user=request.user, defendant_id=defendant_pk, **form.cleaned_data
        ),
        success=_("The verdict has been recorded."),
    ):
        return redirect("cases:prosecution_detail", pk=prosecution.pk)
    return _render_prosecution(request, prosecution, bound=form, status=400)
