"""Project pages: home by role, language remembered per user, error pages without traces."""

from __future__ import annotations

import pytest

from tests.factories import OperationFactory, ProsecutionFactory, ReferralFactory, VictimFactory


@pytest.mark.parametrize(
    ("persona", "heading"),
    [
        ("alice", "My open cases"),
        ("officer", "recent operations"),
        ("partner", "Referrals waiting for my answer"),
        ("clerk", "Recent prosecutions"),
        ("analyst", "Statistics reports"),
    ],
)
def test_given_each_role_when_home_opens_then_its_own_work(world, client, persona, heading):
    client.force_login(getattr(world.users, persona))

    response = client.get("/")

    assert response.status_code == 200
    assert heading in response.content.decode()


def test_given_work_of_several_agencies_when_homes_open_then_only_own_listed(world, client):
    ours = OperationFactory(agency=world.agencies.police)
    OperationFactory(agency=world.agencies.police_other)
    prosecution = ProsecutionFactory(court=world.agencies.court)
    ProsecutionFactory(court=world.agencies.court_other)
    victim = VictimFactory(agency=world.agencies.dosvy_bmc)
    pending = ReferralFactory(victim=victim, to_agency=world.agencies.afesip)
    ReferralFactory(victim=victim, to_agency=world.agencies.hagar)

    client.force_login(world.users.officer)
    operations = list(client.get("/").context["operations"])
    client.force_login(world.users.clerk)
    prosecutions = list(client.get("/").context["prosecutions"])
    client.force_login(world.users.partner)
    waiting = list(client.get("/").context["pending_referrals"])

    assert (operations, prosecutions, waiting) == ([ours], [prosecution], [pending])


def test_given_anonymous_when_home_requested_then_sent_to_sign_in(client):
    response = client.get("/victims/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_given_user_when_switching_to_khmer_then_remembered_and_applied_at_next_sign_in(
    world, client, compiled_messages
):
    alice = world.users.alice
    client.force_login(alice)

    client.post("/i18n/setlang/", {"language": "km", "next": "/"})
    alice.refresh_from_db()
    client.logout()
    client.cookies.clear()
    response = client.post(
        "/accounts/login/",
        {"username": "alice", "password": "correct-horse-battery"},
        follow=True,
    )

    assert alice.preferred_language == "km"
    assert client.cookies["django_language"].value == "km"
    assert "ករណីបើកចំហរបស់ខ្ញុំ" in response.content.decode()  # "My open cases"


def test_given_unknown_language_when_switching_then_nothing_remembered(world, client):
    client.force_login(world.users.alice)

    client.post("/i18n/setlang/", {"language": "xx", "next": "/"})

    world.users.alice.refresh_from_db()
    assert world.users.alice.preferred_language == ""


def test_given_missing_page_when_requested_then_friendly_404_without_trace(world, client):
    client.force_login(world.users.alice)

    response = client.get("/victims/00000000-0000-0000-0000-000000000000/")

    assert response.status_code == 404
    assert "There is nothing at this address" in response.content.decode()
    assert "Traceback" not in response.content.decode()


def test_given_crash_when_raised_then_500_page_without_trace(world, client, settings):
    from django.urls import path

    def boom(request):
        raise RuntimeError("secret internal detail")

    settings.DEBUG = False
    client.raise_request_exception = False
    import ctms.urls

    ctms.urls.urlpatterns.append(path("boom-test/", boom))
    try:
        response = client.get("/boom-test/")
    finally:
        ctms.urls.urlpatterns.pop()

    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()
    assert "secret internal detail" not in response.content.decode()
