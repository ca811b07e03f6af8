"""The matrix world: for every kind of record, one the personas may see ("own") and one of
unrelated agencies ("other"), plus a row of every model the admin manages."""

from __future__ import annotations

import datetime as dt
import io
from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile
from PIL import Image

from tests.factories import (
    ActivityFactory,
    CaseFactory,
    DeporteeReportFactory,
    FollowUpFactory,
    HandoverFactory,
    OperationFactory,
    ProsecutionFactory,
    ReferralFactory,
    RepatriationFactory,
    RescueFactory,
    ServiceFactory,
    SuspectFactory,
    VictimFactory,
)


def _jpeg() -> ContentFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (0, 90, 0)).save(buffer, format="JPEG")
    return ContentFile(buffer.getvalue())


def _linked_victim(world, agency, police, court, partner):
    """A victim with a case, a rescue by `police`, a prosecution in `court` and an accepted
    referral to `partner`: visible to each of those agencies' personas."""
    victim = VictimFactory(agency=agency)
    victim.photo.save("matrix.jpg", _jpeg())
    case = CaseFactory(agency=agency)
    case.victims.add(victim)
    suspect = SuspectFactory(agency=police)
    case.suspects.add(suspect)
    operation = OperationFactory(agency=police, case=case)
    RescueFactory(operation=operation, victim=victim, placed_with=agency)  # a valid placement
    prosecution = ProsecutionFactory(court=court, case=case)
    prosecution.defendants.create(suspect=suspect)
    referral = ReferralFactory(
        victim=victim, from_agency=agency, to_agency=partner, status="accepted"
    )
    return SimpleNamespace(
        victim=victim,
        case=case,
        suspect=suspect,
        operation=operation,
        prosecution=prosecution,
        referral=referral,
        service=ServiceFactory(victim=victim, referral=referral, agency=partner),
        follow_up=FollowUpFactory(victim=victim, agency=agency),
        repatriation=RepatriationFactory(victim=victim, receiving_agency=agency),
        activity=ActivityFactory(agency=agency),
        deportee_report=DeporteeReportFactory(agency=agency),
        handover=HandoverFactory(
            victim=victim, from_agency=police, to_agency=agency, kind="rescue_placement"
        ),
        agency=agency,
    )


def _admin_rows(world) -> None:
    """At least one row of every model that has admin pages, so object URLs can be filled."""
    from django.contrib.auth.models import Group
    from django_celery_beat.models import (
        ClockedSchedule,
        CrontabSchedule,
        IntervalSchedule,
        PeriodicTask,
        SolarSchedule,
    )
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from agencies.models import WorkingGroup
    from ctms.audit import audit
    from referrals.models import WebhookEndpoint

    Group.objects.create(name="matrix")
    interval = IntervalSchedule.objects.create(every=1, period="days")
    CrontabSchedule.objects.create()
    SolarSchedule.objects.create(event="sunrise", latitude=11.5, longitude=104.9)
    ClockedSchedule.objects.create(clocked_time=dt.datetime(2030, 1, 1, tzinfo=dt.UTC))
    PeriodicTask.objects.create(name="matrix", task="noop", interval=interval)
    for user in (world.users.admin, world.users.analyst):
        TOTPDevice.objects.create(user=user, name="matrix", confirmed=True)
    WorkingGroup.objects.create(code="prevention", name="Prevention")
    endpoint = WebhookEndpoint.objects.create(
        agency=world.agencies.afesip, url="https://partner.example.org/hook", secret="s" * 32
    )
    endpoint.deliveries.create(event="referral.created", payload={})
    from interop.services import exchange_log, external_system_register

    system, _password = external_system_register(name="Matrix OSCaR", agency=world.agencies.hagar)
    exchange_log(system=system, direction="in", operation="sign_in", status_code=200)
    audit(actor=world.users.admin, action="view", object_type="victim", object_id="matrix")


@pytest.fixture
def matrix_world(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    a = world.agencies
    own = _linked_victim(world, a.dosvy_bmc, a.police, a.court, a.afesip)
    other = _linked_victim(world, a.dosvy_svr, a.police_other, a.court_other, a.hagar)
    _admin_rows(world)
    # The analyst's report and export are done, with a file to download; the others queued.
    own.report, other.report = _report(world.users.analyst, tmp_path), _report(world.users.admin)
    own.token, other.token = _token(world.users.partner), _token(world.users.other_partner)
    own.export_run = _export_run(world.users.analyst, tmp_path)
    other.export_run = _export_run(world.users.admin)
    _case_work(own, a.afesip)
    _case_work(other, a.hagar)
    own.notification = _notification(world.users.alice)
    other.notification = _notification(world.users.bob)
    return SimpleNamespace(world=world, own=own, other=other)


def _case_work(linked, partner) -> None:
    """Case work on the linked victim: a note, a care plan with a task and a risk assessment
    by the receiving partner; a document and a consent entry by the owning agency."""
    from casework.models import (
        CarePlan,
        CarePlanGoal,
        CarePlanTask,
        CaseNote,
        Consent,
        Document,
        RiskAssessment,
    )

    day = dt.date(2010, 4, 5)
    victim, owner = linked.victim, linked.agency
    linked.case_note = CaseNote.objects.create(
        victim=victim, agency=partner, date=day, kind="social", text="Settled in."
    )
    linked.care_plan = CarePlan.objects.create(victim=victim, agency=partner, created_on=day)
    goal = CarePlanGoal.objects.create(plan=linked.care_plan, domain="shelter", goal="A bed")
    linked.task = CarePlanTask.objects.create(goal=goal, task="Visit", due_on=day)
    linked.risk_assessment = RiskAssessment.objects.create(
        victim=victim, agency=partner, date=day, level="medium", factors=["debt"]
    )
    linked.document = Document(
        victim=victim, agency=owner, kind="id_document", title="ID", content_type="image/jpeg"
    )
    linked.document.file.save("matrix-document.jpg", _jpeg(), save=False)
    linked.document.size = linked.document.file.size
    linked.document.save()
    linked.consent = Consent.objects.create(
        victim=victim, agency=owner, kind="services", given=True, date=day, method="verbal"
    )


def _notification(user):
    from notifications.models import Notification

    return Notification.objects.create(
        user=user, kind="referral_received", params={"agency": "MATRIX"}, link="/referrals/"
    )


def _report(user, media_root=None):
    from reports.models import ReportRun

    files = {}
    if media_root is not None:
        (media_root / "reports").mkdir(exist_ok=True)
        (media_root / "reports" / "matrix-en.xlsx").write_bytes(b"PK matrix")
        files = {"xlsx_en": "reports/matrix-en.xlsx"}
    return ReportRun.objects.create(
        status="done" if files else "queued",
        files=files,
        period="2010-Q3",
        period_start=dt.date(2010, 7, 1),
        period_end=dt.date(2010, 9, 30),
        previous_start=dt.date(2009, 7, 1),
        previous_end=dt.date(2009, 9, 30),
        created_by=user,
    )


def _token(user):
    from agencies.models import ApiToken

    return ApiToken.objects.create(
        user=user,
        name="matrix",
        prefix=user.username[:12],
        digest=f"{user.pk:064d}",
        expires_at=dt.datetime(2030, 1, 1, tzinfo=dt.UTC),
    )


def _export_run(user, media_root=None):
    from exports.models import ExportRun

    if media_root is None:
        return ExportRun.objects.create(format="csv", k=11, created_by=user)
    (media_root / "exports").mkdir(exist_ok=True)
    (media_root / "exports" / "matrix.csv").write_text("ctdc\n")
    return ExportRun.objects.create(
        format="csv", k=11, status="done", file="exports/matrix.csv", created_by=user
    )
