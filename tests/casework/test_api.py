"""The case-work API: each resource scoped per role, refusals change nothing, documents
judged by their content."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from PIL import Image

from casework import services
from casework.models import CarePlan, CaseNote, Consent, Document, RiskAssessment
from ctms.models import AuditEvent
from tests.api_support import client_for, counts

from .conftest import EXE, PDF, SVG, TODAY, jpeg_with_exif, png_with_exif, upload

pytestmark = pytest.mark.django_db
ROLES = ["alice", "minister", "partner", "other_partner", "bob", "officer", "clerk", "analyst"]


@pytest.fixture
def written(scene):
    """One record of each kind written by the partner (the note confidential) and by alice."""
    partner, alice, victim = scene.users.partner, scene.users.alice, scene.victim
    return {
        "secret": services.case_note_create(
            user=partner,
            victim=victim,
            data={
                "date": TODAY,
                "kind": "psychosocial",
                "text": "Nightmares.",
                "confidential": True,
            },
        ),
        "note": services.case_note_create(
            user=alice, victim=victim, data={"date": TODAY, "kind": "social", "text": "Visit."}
        ),
        "plan": services.care_plan_create(
            user=partner,
            victim=victim,
            data={"goals": [{"domain": "shelter", "goal": "Safe bed", "tasks": []}]},
        ),
        "risk": services.risk_assessment_create(
            user=partner, victim=victim, data={"date": TODAY, "level": "high", "factors": ["debt"]}
        ),
        "consent": services.consent_record(
            user=alice, victim=victim, kind="services", given=True, date=TODAY, method="verbal"
        ),
        "document": services.document_upload(
            user=alice,
            upload=upload("id.pdf", PDF),
            kind="id_document",
            title="ID card",
            victim=victim,
        ),
    }


EXPECTED = {
    # resource: {user: ids they list}
    "case-notes": {
        "alice": {"note"},
        "minister": {"note"},
        "partner": {"secret"},
    },
    "care-plans": {"alice": {"plan"}, "minister": {"plan"}, "partner": {"plan"}},
    "risk-assessments": {"alice": {"risk"}, "minister": {"risk"}, "partner": {"risk"}},
    "consents": {"alice": {"consent"}, "minister": {"consent"}},
    "documents": {"alice": {"document"}, "minister": {"document"}},
}


@pytest.mark.parametrize("resource", sorted(EXPECTED))
@pytest.mark.parametrize("name", ROLES)
def test_each_role_lists_what_it_may_see(scene, written, resource, name):
    user = getattr(scene.users, name)
    response = client_for(user).get(f"/api/v1/{resource}/")

    assert response.status_code == 200
    ids = {row["id"] for row in response.json()["results"]}
    expected = {str(written[key].pk) for key in EXPECTED[resource].get(name, set())}
    assert ids == expected


def test_a_list_read_is_audited(scene, written):
    client_for(scene.users.partner).get("/api/v1/case-notes/")

    assert AuditEvent.objects.filter(
        action="view", object_type="casenote", object_id=str(written["secret"].pk)
    ).exists()


def test_partner_creates_a_care_plan_with_a_task(scene):
    response = client_for(scene.users.partner).post(
        "/api/v1/care-plans/",
        {
            "victim": str(scene.victim.pk),
            "review_on": str(TODAY + dt.timedelta(days=30)),
            "goals": [
                {
                    "domain": "psychosocial",
                    "goal": "Sleep through the night",
                    "tasks": [
                        {"task": "Counselling", "due_on": str(TODAY), "assigned_to": "partner"}
                    ],
                }
            ],
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["agency"] == "AFESIP"
    assert body["goals"][0]["tasks"][0]["assigned_to"] == "partner"
    task_id = body["goals"][0]["tasks"][0]["id"]
    done = client_for(scene.users.partner).post(
        f"/api/v1/care-plans/{body['id']}/complete-task/", {"task": task_id}, format="json"
    )
    assert done.status_code == 200
    assert done.json()["goals"][0]["tasks"][0]["done_on"] == str(TODAY)


@pytest.mark.parametrize(
    ("name", "status"),
    [("officer", 400), ("other_partner", 400), ("analyst", 400), ("clerk", 400)],
)
def test_others_cannot_write_case_work_and_nothing_changes(scene, name, status):
    before = counts(CaseNote, CarePlan, RiskAssessment, Consent, Document)
    client = client_for(getattr(scene.users, name))
    victim = str(scene.victim.pk)

    responses = [
        client.post(
            "/api/v1/case-notes/",
            {"victim": victim, "date": str(TODAY), "kind": "social", "text": "x"},
            format="json",
        ),
        client.post(
            "/api/v1/risk-assessments/",
            {"victim": victim, "date": str(TODAY), "level": "low"},
            format="json",
        ),
        client.post(
            "/api/v1/consents/",
            {
                "victim": victim,
                "kind": "services",
                "given": False,
                "date": str(TODAY),
                "method": "verbal",
            },
            format="json",
        ),
    ]

    # The victim is not among those whose case work they may write: as if it did not exist.
    assert [r.status_code for r in responses] == [status] * 3
    assert responses[0].json()["victim"] == [f'Invalid pk "{victim}" - object does not exist.']
    assert counts(CaseNote, CarePlan, RiskAssessment, Consent, Document) == before


def test_consent_through_the_api_sets_the_flag(scene):
    response = client_for(scene.users.alice).post(
        "/api/v1/consents/",
        {
            "victim": str(scene.victim.pk),
            "kind": "legal_proceedings",
            "given": True,
            "date": str(TODAY),
            "method": "guardian",
        },
        format="json",
    )

    assert response.status_code == 201
    assert response.json()["recorded_by"] == "alice"
    scene.victim.refresh_from_db()
    assert scene.victim.consent_legal_proceedings is True


def test_a_future_date_is_a_400_with_the_reason(scene):
    response = client_for(scene.users.alice).post(
        "/api/v1/case-notes/",
        {
            "victim": str(scene.victim.pk),
            "date": str(TODAY + dt.timedelta(days=3)),
            "kind": "social",
            "text": "Tomorrow",
        },
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {"date": ["The date cannot be after today."]}


def _upload(client, scene, name, content, content_type="application/pdf", **fields):
    data = {"victim": str(scene.victim.pk), "kind": "consent_form", "title": "Signed form"}
    data.update(fields)
    data["file"] = upload(name, content, content_type) if isinstance(content, bytes) else content
    return client.post("/api/v1/documents/", data, format="multipart")


def test_a_pdf_is_stored_outside_the_web_root_and_served_no_store(scene, client):
    response = _upload(client_for(scene.users.alice), scene, "form.pdf", PDF)

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["content_type"], body["size"]) == ("application/pdf", len(PDF))
    document = Document.objects.get(pk=body["id"])
    assert not document.file.name.endswith("form.pdf")  # a random name, not the sender's

    client.force_login(scene.users.alice)
    served = client.get(body["download"])
    assert served.status_code == 200
    assert served["Cache-Control"] == "private, no-store"
    assert b"".join(served.streaming_content) == PDF
    assert AuditEvent.objects.filter(action="view", object_id=body["id"]).exists()


@pytest.mark.parametrize("name", ["partner", "officer", "clerk", "analyst", "bob", "other_partner"])
def test_the_file_is_served_to_full_access_only(scene, client, name):
    document = services.document_upload(
        user=scene.users.partner,
        upload=upload("f.pdf", PDF),
        kind="consent_form",
        title="Consent",
        victim=scene.victim,
    )
    client.force_login(getattr(scene.users, name))

    response = client.get(f"/casework/documents/{document.pk}/file/")

    assert response.status_code in {403, 404}
    assert response.status_code == (404 if name in {"clerk", "bob"} else 403)


def test_a_court_document_is_served_to_the_court(scene, client):
    document = services.document_upload(
        user=scene.users.clerk,
        upload=upload("verdict.pdf", PDF),
        kind="court_document",
        title="Verdict",
        prosecution=scene.prosecution,
    )
    client.force_login(scene.users.clerk)

    assert client.get(f"/casework/documents/{document.pk}/file/").status_code == 200


@pytest.mark.parametrize(
    ("name", "content", "content_type", "reason"),
    [
        (
            "invoice.pdf",
            EXE,
            "application/pdf",
            "The file's content is application/x-msdownload, not a PDF, JPEG or PNG.",
        ),
        ("drawing.svg", SVG, "image/svg+xml", "The file's content is not a PDF, JPEG or PNG."),
        ("empty.pdf", b"", "application/pdf", "The submitted file is empty."),
    ],
)
def test_refused_files_answer_400_with_the_reason(scene, name, content, content_type, reason):
    response = _upload(client_for(scene.users.alice), scene, name, content, content_type)

    assert response.status_code == 400
    assert response.json() == {"file": [reason]}
    assert Document.objects.count() == 0


def test_a_20_mb_scan_is_refused_with_the_reason(scene):
    scan = PDF + b"0" * (20 * 1024 * 1024 - len(PDF))
    response = _upload(client_for(scene.users.alice), scene, "scan.pdf", scan)

    assert response.status_code == 400
    assert response.json() == {"file": ["The file is 20.0\xa0MB; at most 15 MB is accepted."]}
    assert Document.objects.count() == 0


def test_json_is_refused_for_documents(scene):
    response = client_for(scene.users.alice).post(
        "/api/v1/documents/", {"victim": str(scene.victim.pk)}, format="json"
    )

    assert response.status_code == 415


@pytest.mark.parametrize(("maker", "fmt"), [(jpeg_with_exif, "JPEG"), (png_with_exif, "PNG")])
def test_image_metadata_is_stripped(scene, maker, fmt):
    response = _upload(client_for(scene.users.alice), scene, "photo.bin", maker(), "image/png")

    assert response.status_code == 201, response.json()
    document = Document.objects.get(pk=response.json()["id"])
    with document.file.open("rb") as stored, Image.open(io.BytesIO(stored.read())) as image:
        assert image.format == fmt
        assert dict(image.getexif()) == {}
        assert "Comment" not in image.info


def test_a_document_needs_exactly_one_attachment(scene):
    response = _upload(client_for(scene.users.alice), scene, "f.pdf", PDF, case=str(scene.case.pk))

    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": [
            "A document is attached to exactly one of: a victim, a case, a prosecution."
        ]
    }
    assert Document.objects.count() == 0
