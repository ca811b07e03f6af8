"""An import on PostgreSQL leaves out the database's row-by-row foreign-key checks where its role
may (`session_replication_role`, issue 17): the links it writes are checked by the import, the
records of the database it links to are locked until it commits, and every other trigger (the
report's copies, the audit trail's guards) still fires."""

from __future__ import annotations

import io
import json
import uuid

import psycopg2
import pytest
from django.db import connection

from tests.factories import AgencyFactory, VictimFactory
from transfer import importer
from transfer.importer import import_records
from victims.models import FollowUp, Victim

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="session_replication_role is PostgreSQL's"
)


def lines(*records: dict) -> io.BytesIO:
    return io.BytesIO("\n".join(json.dumps(record) for record in records).encode())


def a_victim_followed_up(agency: str = "a1") -> list[dict]:
    return [
        {"type": "agency", "ref": "a1", "name": "Agency one", "acronym": "A1", "kind": "ngo"},
        {
            "type": "victim", "ref": "v1", "agency": agency, "given_name": "Dara", "sex": "female",
            "date_of_birth": "2004-05-06",
        },
        {"type": "follow_up", "ref": "f1", "victim": "v1", "agency": "a1", "date": "2010-03-01",
         "kind": "monitoring", "outcome": "ok"},
    ]  # fmt: skip


def roles_seen_while_writing(monkeypatch) -> list[str]:
    seen: list[str] = []
    write = importer._ImportRun._write

    def writing(run, rows):
        with connection.cursor() as cursor:
            cursor.execute("SHOW session_replication_role")
            seen.append(cursor.fetchone()[0])
        write(run, rows)

    monkeypatch.setattr(importer._ImportRun, "_write", writing)
    return seen


def become_a_role_that_may_not_leave_checks_out() -> None:
    """The rest of the test's transaction as a role that is no superuser, granted the tables but
    not `SET` on `session_replication_role` (the role goes with the test's rollback)."""
    role = f"ctms_plain_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {role} NOSUPERUSER")
        cursor.execute(f"GRANT USAGE, CREATE ON SCHEMA public TO {role}")
        cursor.execute(f"GRANT ALL ON ALL TABLES IN SCHEMA public TO {role}")
        cursor.execute(f"GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO {role}")
        cursor.execute(f"SET LOCAL ROLE {role}")


@pytest.mark.django_db
def test_every_trigger_of_the_schema_fires_whatever_the_role():
    # given the migrated schema's own triggers (not the foreign keys' internal ones)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, t.tgname, t.tgenabled FROM pg_trigger t"
            " JOIN pg_class c ON c.oid = t.tgrelid"
            " WHERE NOT t.tgisinternal AND c.relnamespace = 'public'::regnamespace"
        )
        triggers = cursor.fetchall()

    # then there are some (the copies, the audit guards), and each fires always: a session
    # that leaves out the foreign-key checks (the `replica` role) leaves out nothing else
    assert {name for _table, name, _enabled in triggers} >= {
        "copy_from_victim", "copy_to_rows", "ctms_auditevent_append_only",
    }  # fmt: skip
    assert [t for t in triggers if t[2] != "A"] == []


@pytest.mark.django_db
def test_given_a_superuser_when_importing_then_links_checked_by_the_import_and_copies_made(
    monkeypatch,
):
    # given the tests' role, a superuser, which may leave the foreign-key checks out
    seen = roles_seen_while_writing(monkeypatch)

    # when a victim and its follow-up are imported
    result = import_records(lines(*a_victim_followed_up()))

    # then the rows were written without the row-by-row checks, and the report's copies of
    # the victim's sex and birth date are on the follow-up all the same
    assert result.ok, result.errors
    assert seen and set(seen) == {"replica"}
    follow_up = FollowUp.objects.get(pk=result.ids["f1"])
    assert (follow_up.victim_sex, str(follow_up.victim_date_of_birth)) == ("female", "2004-05-06")
    with connection.cursor() as cursor:
        cursor.execute("SHOW session_replication_role")
        assert cursor.fetchone()[0] == "origin"  # the rest of the transaction as before


@pytest.mark.django_db
def test_given_a_superuser_when_a_link_names_nothing_then_the_import_refuses_it(monkeypatch):
    # given no agency "nobody", and the checks of the database left out
    seen = roles_seen_while_writing(monkeypatch)

    # when a victim names it
    result = import_records(lines(*a_victim_followed_up(agency="nobody")))

    # then the import names the line and writes nothing
    assert not result.ok
    assert [(e.line, e.message) for e in result.errors] == [
        (2, "agency: unknown agency 'nobody' (not a ref of this file)")
    ]
    assert seen == []
    assert not Victim.objects.exists() and not FollowUp.objects.exists()


@pytest.mark.django_db
def test_given_a_role_that_may_not_leave_checks_out_then_the_database_checks_too(monkeypatch):
    # given a role that is no superuser, granted the tables but not the replication role
    become_a_role_that_may_not_leave_checks_out()
    seen = roles_seen_while_writing(monkeypatch)
    messages: list[str] = []

    # when importing as that role
    result = import_records(lines(*a_victim_followed_up()), progress=messages.append)

    # then the import goes on, the database checking the links as before
    assert result.ok, result.errors
    assert set(seen) == {"origin"}
    assert any("the database checks the links too" in m for m in messages)
    assert FollowUp.objects.get(pk=result.ids["f1"]).victim_sex == "female"


@pytest.mark.django_db(transaction=True)
def test_given_a_database_record_linked_then_it_cannot_be_deleted_before_the_commit(
    monkeypatch,
):
    # given a victim of the database (committed), which a file's follow-up names by its id
    agency = AgencyFactory(acronym="A9")
    victim = VictimFactory(agency=agency)
    follow_up = {
        "type": "follow_up", "ref": "f1", "victim": str(victim.pk), "agency": "A9",
        "date": "2010-03-01", "kind": "monitoring", "outcome": "ok",
    }  # fmt: skip
    outcome: list[str] = []
    write = importer._ImportRun._write

    def writing(run, rows):
        write(run, rows)
        # while the import is under way: another session tries to delete that victim
        settings = connection.settings_dict
        other = psycopg2.connect(
            dbname=settings["NAME"], user=settings["USER"], host=settings["HOST"] or None,
            port=settings["PORT"] or None, password=settings["PASSWORD"] or None,
        )  # fmt: skip
        try:
            with other, other.cursor() as cursor:
                cursor.execute("SET lock_timeout = '200ms'")
                cursor.execute("DELETE FROM victims_victim WHERE id = %s", [str(victim.pk)])
            outcome.append("deleted")
        except psycopg2.errors.LockNotAvailable:
            outcome.append("waits for the import")
        finally:
            other.close()

    monkeypatch.setattr(importer._ImportRun, "_write", writing)

    # when the file is imported
    result = import_records(lines(follow_up))

    # then the victim was locked as the foreign-key check would lock it: the other session had
    # to wait, and the follow-up links to a victim that is there
    assert result.ok, result.errors
    assert outcome == ["waits for the import"]
    assert FollowUp.objects.get(pk=result.ids["f1"]).victim_id == victim.pk
