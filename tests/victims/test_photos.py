"""Victim photos: stored without metadata, served only through the access-checked view."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import Resolver404, resolve, reverse
from PIL import Image

from ctms.models import AuditEvent
from victims.services import victim_create, victim_update

GPS_IFD = 0x8825


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (40, 30), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "SpyCam Maker"  # Make
    exif[0x0132] = "2024:05:01 10:00:00"  # DateTime
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (11.0, 33.0, 15.0), 3: "E", 4: (104.0, 55.0, 0.0)})
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif.tobytes(), comment=b"Sokha at the shelter")
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def victim_with_photo(world):
    upload = SimpleUploadedFile("IMG_0001.jpg", jpeg_with_gps(), content_type="image/jpeg")
    return victim_create(
        user=world.users.alice,
        data={"given_name": "Sokha", "home_province": "01", "photo": upload},
    )


def test_the_original_has_metadata(world):
    # Guard for the next test: the fixture picture really carries GPS and a comment.
    original = Image.open(io.BytesIO(jpeg_with_gps()))
    assert original.getexif().get_ifd(GPS_IFD)[1] == "N"
    assert b"Sokha at the shelter" in jpeg_with_gps()


def test_exif_gps_and_comments_are_gone_from_the_stored_photo(victim_with_photo):
    stored = victim_with_photo.photo.open("rb").read()
    image = Image.open(io.BytesIO(stored))
    assert image.size == (40, 30)
    assert dict(image.getexif()) == {}
    assert "comment" not in image.info and "exif" not in image.info
    assert b"SpyCam" not in stored and b"Sokha" not in stored
    assert not victim_with_photo.photo.name.endswith("IMG_0001.jpg")


def test_an_update_strips_the_new_photo_too(world, victim_with_photo):
    upload = SimpleUploadedFile("new.jpg", jpeg_with_gps(), content_type="image/jpeg")
    victim = victim_update(
        user=world.users.alice, victim_id=victim_with_photo.pk, data={"photo": upload}
    )
    assert b"SpyCam" not in victim.photo.open("rb").read()
    assert AuditEvent.objects.get(action="update").details == {"changed": {"photo": "changed"}}


def test_a_file_that_is_not_a_picture_is_a_field_error(world):
    upload = SimpleUploadedFile("x.jpg", b"%PDF-1.4 not an image", content_type="image/jpeg")
    with pytest.raises(ValidationError) as raised:
        victim_create(user=world.users.alice, data={"home_province": "01", "photo": upload})
    assert list(raised.value.message_dict) == ["photo"]


def test_a_picture_over_15_mb_is_refused(world):
    upload = SimpleUploadedFile("big.jpg", b"\xff" * (15 * 1024 * 1024 + 1))
    with pytest.raises(ValidationError) as raised:
        victim_create(user=world.users.alice, data={"home_province": "01", "photo": upload})
    assert raised.value.message_dict == {"photo": ["The picture is larger than 15 MB."]}


def test_the_owning_case_worker_gets_the_photo_and_the_read_is_audited(
    world, client, victim_with_photo
):
    client.force_login(world.users.alice)
    url = reverse("victim-photo", args=[victim_with_photo.pk])
    response = client.get(url, REMOTE_ADDR="203.0.113.44")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"
    read = AuditEvent.objects.get(action="view")
    assert (read.actor_username, read.object_id, read.ip_address) == (
        "alice",
        str(victim_with_photo.pk),
        "203.0.113.44",
    )


@pytest.mark.parametrize("username", ["bob", "partner", "officer", "clerk", "analyst"])
def test_everyone_else_gets_404(world, client, victim_with_photo, username):
    client.force_login(getattr(world.users, username))
    response = client.get(reverse("victim-photo", args=[victim_with_photo.pk]))
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="view").exists()


def test_anonymous_is_sent_to_sign_in(world, client, victim_with_photo):
    response = client.get(reverse("victim-photo", args=[victim_with_photo.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_no_public_url_serves_uploaded_files(world, client, settings, victim_with_photo):
    client.force_login(world.users.admin)
    for prefix in ("/", "/media/", settings.MEDIA_URL or "/"):
        path = prefix.rstrip("/") + "/" + victim_with_photo.photo.name
        with pytest.raises(Resolver404):
            resolve(path)
        assert client.get(path).status_code == 404
