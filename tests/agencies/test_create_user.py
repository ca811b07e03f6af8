"""`manage.py create_user`."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command

from agencies.models import User
from tests.factories import AgencyFactory


def create_user(*args: str) -> str:
    out = io.StringIO()
    call_command("create_user", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_creates_a_user_of_an_agency_and_prints_the_generated_password():
    AgencyFactory(acronym="AFESIP")

    output = create_user("sophea", "--agency", "AFESIP", "--role", "partner")

    user = User.objects.get(username="sophea")
    assert (user.agency.acronym, user.role) == ("AFESIP", "partner")
    assert output.splitlines()[0] == "Created partner sophea at AFESIP."
    password = output.splitlines()[1].removeprefix("Password: ")
    assert len(password) == 16
    assert authenticate(username="sophea", password=password) == user


@pytest.mark.django_db
def test_a_given_password_is_used_and_not_printed():
    AgencyFactory(acronym="DoSVY-BMC")

    output = create_user(
        "dara", "--agency", "DoSVY-BMC", "--role", "case_worker", "--password", "kampot-pepper-42"
    )

    assert "kampot-pepper-42" not in output
    assert authenticate(username="dara", password="kampot-pepper-42").role == "case_worker"


@pytest.mark.django_db
def test_an_admin_needs_no_agency():
    create_user("root", "--role", "admin")

    user = User.objects.get(username="root")
    assert (user.agency, user.role, user.is_staff) == (None, "admin", True)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--agency", "NOPE", "--role", "partner"], "No agency has the acronym NOPE."),
        (["--agency", "AFESIP", "--role", "boss"], "Unknown role boss; choose one of: case_worker"),
        (["--role", "partner"], "Every role but admin belongs to an agency: give --agency."),
        (["--agency", "AFESIP", "--role", "partner", "--password", "123"], "too short"),
    ],
)
def test_bad_arguments_are_clear_errors_and_create_nobody(args, message):
    AgencyFactory(acronym="AFESIP")

    with pytest.raises(CommandError, match=message.replace("(", r"\(")):
        create_user("sophea", *args)

    assert not User.objects.filter(username="sophea").exists()


@pytest.mark.django_db
def test_an_existing_username_is_refused():
    create_user("root", "--role", "admin")

    with pytest.raises(CommandError, match="A user root already exists."):
        create_user("root", "--role", "admin")
