"""Item 12 of issue 12: three inputs that answered 500 now answer 400 (or a form error) with
the reason, and change nothing."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from rest_framework.test import APIClient

from agencies.models import ApiToken
from reports.models import ReportRun
from tests.api_support import client_for
from tests.factories import VictimFactory


def test_deeply_nested_json_to_the_token_endpoint_is_a_400(world):
    body = "[" * 100_000 + "]" * 100_000

    response = APIClient().post("/api/v1/auth/token/", data=body, content_type="application/json")

    assert response.status_code == 400
    assert response.json() == {"detail": "JSON parse error - the body is nested too deeply."}
    assert ApiToken.objects.count() == 0


@pytest.mark.parametrize("period", ["0001", "0001-Q1", "0001-01-01..0001-12-31", "1899"])
def test_a_period_before_1900_is_a_400(world, period):
    api = client_for(world.users.analyst)

    response = api.post("/api/v1/reports/", data={"period": period}, format="json")

    assert response.status_code == 400
    assert response.json() == {"period": ["A report period starts in 1900 or later."]}
    assert ReportRun.objects.count() == 0


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), (1, 2, 3)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_a_photo_over_the_limit_in_the_admin_is_a_form_error(
    world, client, settings, tmp_path, monkeypatch
):
    # given a victim and an upload above the limit (the limit lowered to keep the test small)
    settings.MEDIA_ROOT = tmp_path
    victim = VictimFactory(agency=world.agencies.dosvy_bmc, given_name="Sophea")
    client.force_login(world.users.admin)
    url = f"/admin/victims/victim/{victim.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and not isinstance(value, list)
    }
    data.update(agency=victim.agency_id, given_name="Changed")
    upload = SimpleUploadedFile("big.png", _png() + b"\0" * 64, content_type="image/png")
    monkeypatch.setattr("victims.photos.MAX_BYTES", 32)

    # when the administrator saves it
    response = client.post(url, data={**data, "photo": upload})

    # then the form comes back with the reason and nothing was saved
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "photo": ["The picture is larger than 15 MB."]
    }
    victim.refresh_from_db()
    assert (victim.given_name, victim.photo.name) == ("Sophea", "")
