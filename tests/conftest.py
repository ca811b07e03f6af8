"""Shared fixtures: the agencies of a small world and one persona per role.

Personas follow the healthchecks habit (alice, bob, charlie): the owning agency's case worker,
a case worker of a sibling department, a partner, police, a court clerk, the secretariat.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.db.backends.signals import connection_created

from tests.factories import AgencyFactory, UserFactory


def _allow_audit_truncate(sender, connection, **kwargs) -> None:
    connection.ctms_audit_truncate_allowed = True


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """On SQLite, the test database is a file (in a private folder of memory-backed /dev/shm
    where there is one), not Django's in-memory default. That one is a single connection,
    which the browser tests' live server shares between its threads and the test's: two
    requests at once (a page's htmx call beside a form's POST) then break each other ("cannot
    open savepoint - SQL statements in progress"). With a file, each thread has its own."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if not database["ENGINE"].endswith("sqlite3"):
        yield
        return
    shm = Path("/dev/shm")
    folder = Path(tempfile.mkdtemp(prefix="ctms-test-", dir=shm if shm.is_dir() else None))
    database.setdefault("TEST", {})["NAME"] = str(folder / "test.sqlite3")
    yield
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """On PostgreSQL, let the test database TRUNCATE the audit table: Django empties tables
    that way between transactional tests, which the audit trail's guard otherwise refuses
    (ctms/migrations/0004_audit_truncate_guard.py; tests/ctms/test_audit.py checks the guard)."""
    from django.db import connection

    if connection.vendor == "sqlite":
        # The same opt-in for SQLite's audit triggers (ctms/migrations/0005_…, ctms/apps.py),
        # on this connection and on every one opened later: the browser tests' event loop gives
        # the flush between transactional tests a connection wrapper of its own.
        connection.ctms_audit_truncate_allowed = True
        connection_created.connect(_allow_audit_truncate, dispatch_uid="tests-audit-truncate")
    if connection.vendor == "postgresql":
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            name = connection.ops.quote_name(connection.settings_dict["NAME"])
            cursor.execute(f"ALTER DATABASE {name} SET ctms.audit_truncate_allowed = 'on'")
            cursor.execute("SET ctms.audit_truncate_allowed = 'on'")


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """PBKDF2's deliberate slowness is for attackers, not for a test suite of many users."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db):
    """MoSVY with two provincial departments, two partners, a police unit, a court and the
    secretariat; one user per role (`world.users.<name>`)."""
    mosvy = AgencyFactory(acronym="MoSVY", kind="ministry", name="Ministry of Social Affairs")
    dosvy_bmc = AgencyFactory(
        acronym="DoSVY-BMC", kind="provincial_department", province="01", parent=mosvy
    )
    dosvy_svr = AgencyFactory(
        acronym="DoSVY-SVR", kind="provincial_department", province="20", parent=mosvy
    )
    afesip = AgencyFactory(
        acronym="AFESIP",
        kind="ngo",
        accepts_referrals=True,
        services=["shelter", "psychosocial", "vocational_training"],
    )
    hagar = AgencyFactory(
        acronym="Hagar", kind="ngo", accepts_referrals=True, services=["shelter", "legal"]
    )
    police = AgencyFactory(acronym="AHTJP-BMC", kind="police_unit", province="01")
    police_other = AgencyFactory(acronym="AHTJP-PP", kind="police_unit", province="12")
    court = AgencyFactory(acronym="BMC-Court", kind="court", province="01")
    court_other = AgencyFactory(acronym="PP-Court", kind="court", province="12")
    secretariat = AgencyFactory(acronym="NCS", kind="other", name="NC/S.T.S.L.S secretariat")
    agencies = SimpleNamespace(
        mosvy=mosvy,
        dosvy_bmc=dosvy_bmc,
        dosvy_svr=dosvy_svr,
        afesip=afesip,
        hagar=hagar,
        police=police,
        police_other=police_other,
        court=court,
        court_other=court_other,
        secretariat=secretariat,
    )
    users = SimpleNamespace(
        alice=UserFactory(username="alice", agency=dosvy_bmc, role="case_worker"),
        bob=UserFactory(username="bob", agency=dosvy_svr, role="case_worker"),
        minister=UserFactory(username="minister", agency=mosvy, role="case_worker"),
        partner=UserFactory(username="partner", agency=afesip, role="partner"),
        other_partner=UserFactory(username="other_partner", agency=hagar, role="partner"),
        officer=UserFactory(username="officer", agency=police, role="police"),
        other_officer=UserFactory(username="other_officer", agency=police_other, role="police"),
        clerk=UserFactory(username="clerk", agency=court, role="justice"),
        other_clerk=UserFactory(username="other_clerk", agency=court_other, role="justice"),
        analyst=UserFactory(username="analyst", agency=secretariat, role="secretariat"),
        admin=UserFactory(username="root", agency=None, role="admin"),
    )
    return SimpleNamespace(agencies=agencies, users=users)


@pytest.fixture(autouse=True)
def _webhooks_on_the_test_thread(settings):
    """Webhook deliveries run where the test can see them (the embedded default puts them on a
    background thread: tests/security/test_webhook_delivery.py covers that)."""
    settings.WEBHOOK_DELIVERY_THREAD = False
    # Reports likewise run where the test sees them (tests/reports/test_background_run.py
    # covers the background thread of the embedded default).
    settings.REPORT_THREAD = False


@pytest.fixture(autouse=True)
def _tasks_in_process_unless_worker_test(request):
    """Tests run tasks in-process, except those marked `celery_worker`, which go through the
    broker to the real worker process started by the `celery_worker_process` fixture."""
    from ctms.celery import app

    if request.node.get_closest_marker("celery_worker"):
        yield
        return
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture
def celery_worker_process(_celery_worker_session):
    """The real worker for one test; afterwards, wait until it has no task left.

    A task still writing when the test ends (say a webhook's attempt recorded after the receiver
    got the POST) would hold row locks while the test's teardown truncates every table: the two
    can deadlock, and PostgreSQL then cancels the truncate."""
    worker, name = _celery_worker_session
    yield worker
    _wait_until_idle(name)


def _wait_until_idle(name: str, seconds: float = 60) -> None:
    import time

    from ctms.celery import app

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        inspect = app.control.inspect(destination=[name], timeout=1.0)
        queues = [inspect.active(), inspect.reserved(), inspect.scheduled()]
        if all(q is not None and not any(q.values()) for q in queues):
            return
        time.sleep(0.2)
    pytest.fail(f"the Celery worker {name} still had tasks {seconds:.0f} s after the test")


@pytest.fixture(scope="session")
def _celery_worker_session(django_db_setup, django_db_blocker):
    """A real `celery worker` process on the test database, fed through the real broker.

    Only where CELERY_BROKER_URL is set and the database is PostgreSQL (a separate process
    cannot share SQLite's in-memory test database). Tests using it need `transactional_db`.
    """
    import os
    import subprocess
    import sys
    import time

    from django.conf import settings
    from django.db import connection

    from ctms.celery import app

    if not settings.CELERY_BROKER_URL or connection.vendor != "postgresql":
        pytest.skip("needs CELERY_BROKER_URL and PostgreSQL for a real worker")
    db = connection.settings_dict
    queue = f"ctms-test-{os.getpid()}"
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}",
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "DATABASE_CONN_MAX_AGE": "0",
    }
    app.conf.task_default_queue = queue
    app.conf.task_always_eager = False
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "ctms",
            "worker",
            "--pool=threads",
            "--concurrency=2",
            "-Q",
            queue,
            "--loglevel=WARNING",
            "-n",
            f"{queue}@%h",
        ],
        env=env,
    )
    name = f"{queue}@{os.uname().nodename}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if app.control.ping(destination=[name], timeout=1.0):
            break
        if worker.poll() is not None:
            pytest.fail("the Celery worker exited at start")
    else:
        worker.terminate()
        pytest.fail("the Celery worker did not answer a ping within 60 s")
    yield worker, name
    worker.terminate()
    worker.wait(timeout=30)


@pytest.fixture(scope="session")
def compiled_messages():
    """The Khmer catalogue compiled (the .mo is generated, not committed): tests that check
    Khmer text use this so they pass whether or not `make messages` ran first."""
    from pathlib import Path

    from django.conf import settings
    from django.core.management import call_command
    from django.utils.translation import trans_real

    po = Path(settings.BASE_DIR) / "locale" / "km" / "LC_MESSAGES" / "django.po"
    mo = po.with_suffix(".mo")
    if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
        call_command("compilemessages", locale=["km"], verbosity=0)
        trans_real._translations = {}
        trans_real._default = None
    return mo


@pytest.fixture(autouse=True)
def _force_login_passes_second_factor(request, monkeypatch):
    """`client.force_login` skips the password; let it skip the TOTP step of administrators and
    the secretariat the same way (a confirmed device, verified in the session). Tests of the
    second factor itself are marked `two_factor` and sign in for real."""
    if request.node.get_closest_marker("two_factor"):
        return
    from django.test import Client

    original = Client.force_login

    def force_login(self, user, backend=None):
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from accounts.two_factor import confirmed_device, requires_two_factor

        original(self, user, backend)
        if requires_two_factor(user):
            device = confirmed_device(user) or TOTPDevice.objects.create(
                user=user, name="test", confirmed=True
            )
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()

    monkeypatch.setattr(Client, "force_login", force_login)
