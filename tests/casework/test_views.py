"""Browser pages of case work: the sections on the victim's page, the forms, the due list."""

from __future__ import annotations

import datetime as dt

import pytest

from casework import services
from casework.models import Document

from .conftest import EXE, PDF, TODAY, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def written(scene):
    partner = scene.users.partner
    services.case_note_create(
        user=partner,
        victim=scene.victim,
        data={"date": TODAY, "kind": "psychosocial", "text": "Secret words", "confidential": True},
    )
    services.care_plan_create(
        user=partner,
        victim=scene.victim,
        data={
            "goals": [
                {
                    "domain": "education",
                    "goal": "Back to school",
                    "tasks": [
                        {
                            "task": "Enrol at the grade school",
                            "due_on": TODAY - dt.timedelta(days=3),
                            "assigned_to": "partner",
                        }
                    ],
                }
            ]
        },
    )
    return scene


def test_the_owner_sees_the_plan_but_not_the_confidential_note(written, client):
    client.force_login(written.users.alice)

    page = client.get(f"/casework/victims/{written.victim.pk}/").content.decode()

    assert "Back to school" in page
    assert "Secret words" not in page


def test_the_partner_sees_its_confidential_note(written, client):
    client.force_login(written.users.partner)

    page = client.get(f"/casework/victims/{written.victim.pk}/").content.decode()

    assert "Secret words" in page
    assert "Back to school" in page


@pytest.mark.parametrize(("name", "status"), [("officer", 403), ("other_partner", 404)])
def test_others_get_no_case_work(written, client, name, status):
    client.force_login(getattr(written.users, name))

    assert client.get(f"/casework/victims/{written.victim.pk}/").status_code == status


def test_the_victim_page_loads_case_work_only_for_those_who_may_see_it(written, client):
    client.force_login(written.users.officer)
    assert b"/casework/victims/" not in client.get(f"/victims/{written.victim.pk}/").content
    client.force_login(written.users.partner)
    assert b"/casework/victims/" in client.get(f"/victims/{written.victim.pk}/").content


def test_the_assignees_home_lists_the_task_past_due(written, client):
    client.force_login(written.users.partner)

    page = client.get("/").content.decode()

    assert "Enrol at the grade school" in page
    assert "My care-plan tasks past due" in page


def test_a_refused_file_in_the_browser_is_a_400_with_the_reason(scene, client):
    client.force_login(scene.users.alice)

    response = client.post(
        f"/casework/victims/{scene.victim.pk}/documents/new/",
        {"kind": "id_document", "title": "ID", "file": upload("id.pdf", EXE)},
    )

    assert response.status_code == 400
    assert "not a PDF, JPEG or PNG" in response.content.decode()
    assert Document.objects.count() == 0


def test_a_pdf_uploaded_in_the_browser_goes_back_to_the_victim_page(scene, client):
    client.force_login(scene.users.alice)

    response = client.post(
        f"/casework/victims/{scene.victim.pk}/documents/new/",
        {"kind": "id_document", "title": "ID", "file": upload("id.pdf", PDF)},
    )

    assert response.status_code == 302
    assert response["Location"] == f"/victims/{scene.victim.pk}/#documents"
    assert Document.objects.get().title == "ID"


def test_the_victim_list_shows_the_latest_risk_level(scene, client):
    services.risk_assessment_create(
        user=scene.users.alice,
        victim=scene.victim,
        data={"date": TODAY - dt.timedelta(days=9), "level": "low"},
    )
    services.risk_assessment_create(
        user=scene.users.alice, victim=scene.victim, data={"date": TODAY, "level": "high"}
    )
    client.force_login(scene.users.alice)

    page = client.get("/victims/").content.decode()

    assert page.count('data-risk="high"') == 1
    assert 'data-risk="low"' not in page
