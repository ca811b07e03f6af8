"""Victim photos in the browser: upload, replace and remove by those who may correct the
record; the thumbnail on the victim's page for those who see the person in full only; every
refused upload changes nothing and is never a server error."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from ctms.models import AuditEvent
from tests.factories import OperationFactory, ReferralFactory, RescueFactory, VictimFactory
from tests.victims.test_photos import jpeg_with_gps
from victims.models import Victim
from victims.services import victim_update


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def victim(world):
    return VictimFactory(agency=world.agencies.dosvy_bmc, given_name="Srey", family_name="Mom")


def picture(fmt: str = "JPEG", size=(900, 600)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (20, 120, 200)).save(buffer, format=fmt)
    return buffer.getvalue()


def upload(content: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def edit_url(victim) -> str:
    return reverse("victims:photo_edit", args=[victim.pk])


def stored_files(tmp_path) -> list[str]:
    return sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file())


@pytest.fixture
def victim_with_photo(world, victim):
    return victim_update(
        user=world.users.alice, victim_id=victim.pk, data={"photo": upload(picture())}
    )


# Upload -----------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["alice", "minister", "admin"])
def test_those_who_may_correct_the_record_upload_a_photo_stored_without_metadata(
    world, client, victim, persona
):
    client.force_login(getattr(world.users, persona))
    assert client.get(edit_url(victim)).status_code == 200

    response = client.post(edit_url(victim), {"photo": upload(jpeg_with_gps(), "IMG_1.jpg")})

    assert response.status_code == 302
    assert response.url == reverse("victims:detail", args=[victim.pk])
    victim.refresh_from_db()
    stored = victim.photo.open("rb").read()
    assert stored[:2] == b"\xff\xd8"
    assert b"SpyCam" not in stored and b"Sokha at the shelter" not in stored
    assert not victim.photo.name.endswith("IMG_1.jpg")
    change = AuditEvent.objects.get(action="update", object_id=str(victim.pk))
    assert change.details == {"changed": {"photo": "changed"}}


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("bob", 404),  # another province's case worker
        ("partner", 403),
        ("officer", 403),
        ("clerk", 403),
        ("analyst", 403),
    ],
)
def test_everyone_else_is_refused_and_nothing_changes(
    world, client, victim_with_photo, tmp_path, persona, status
):
    before_name = victim_with_photo.photo.name
    before_files = stored_files(tmp_path)
    before_events = AuditEvent.objects.filter(action="update").count()
    client.force_login(getattr(world.users, persona))

    assert client.get(edit_url(victim_with_photo)).status_code == status
    assert client.post(edit_url(victim_with_photo), {"photo": upload(picture())}).status_code == (
        status
    )
    assert client.post(edit_url(victim_with_photo), {"remove": "1"}).status_code == status

    victim_with_photo.refresh_from_db()
    assert victim_with_photo.photo.name == before_name
    assert stored_files(tmp_path) == before_files
    assert AuditEvent.objects.filter(action="update").count() == before_events


def test_a_partner_holding_the_record_in_full_may_not_change_the_photo(world, client):
    # A partner that took the person in (hand-over) holds the record in full, but correcting
    # it stays with case workers (can_edit_victim); it sees the "Add a photo" link nowhere.
    held = VictimFactory(agency=world.agencies.afesip)
    client.force_login(world.users.partner)
    assert b"Add a photo" not in client.get(reverse("victims:detail", args=[held.pk])).content
    assert client.post(edit_url(held), {"photo": upload(picture())}).status_code == 403
    held.refresh_from_db()
    assert not held.photo


def test_anonymous_is_sent_to_sign_in(world, client, victim):
    response = client.post(edit_url(victim), {"photo": upload(picture())})
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    victim.refresh_from_db()
    assert not victim.photo


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"%PDF-1.4 a document", "scan.jpg", "The file is not a JPEG, PNG or WebP picture."),
        (b"MZ\x90\x00 an executable", "photo.png", "The file is not a JPEG, PNG or WebP picture."),
        (picture("GIF"), "photo.gif", "The file is not a JPEG, PNG or WebP picture."),
        (picture()[:300], "cut.jpg", "The file is not a picture CTMS can read."),
        (b"", "empty.jpg", "The submitted file is empty."),
    ],
    ids=["pdf", "exe", "gif", "truncated-jpeg", "empty"],
)
def test_a_refused_file_is_a_form_error_and_changes_nothing(
    world, client, victim, tmp_path, content, name, message
):
    client.force_login(world.users.alice)

    response = client.post(edit_url(victim), {"photo": upload(content, name)})

    assert response.status_code == 200
    assert response.context["form"].errors["photo"] == [message]
    assert b"alert-danger" in response.content
    victim.refresh_from_db()
    assert not victim.photo
    assert stored_files(tmp_path) == []
    assert not AuditEvent.objects.filter(action="update").exists()


def test_a_picture_over_15_mb_is_refused_by_its_size(world, client, victim):
    client.force_login(world.users.alice)
    big = b"\xff\xd8\xff\xe0" + b"\x00" * (15 * 1024 * 1024)

    response = client.post(edit_url(victim), {"photo": upload(big)})

    assert response.context["form"].errors["photo"] == ["The picture is larger than 15 MB."]
    victim.refresh_from_db()
    assert not victim.photo


def test_no_file_chosen_asks_for_one(world, client, victim):
    client.force_login(world.users.alice)
    response = client.post(edit_url(victim), {})
    assert response.context["form"].errors["photo"] == ["Choose a picture."]


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_png_and_webp_are_kept_in_their_format(world, client, victim, fmt):
    client.force_login(world.users.alice)
    client.post(edit_url(victim), {"photo": upload(picture(fmt), "p.bin", "application/x")})
    victim.refresh_from_db()
    assert Image.open(victim.photo.open("rb")).format == fmt


# Replace and remove ---------------------------------------------------------------------


def test_a_new_photo_replaces_the_old_file(
    world, client, victim_with_photo, tmp_path, django_capture_on_commit_callbacks
):
    old = victim_with_photo.photo.name
    client.force_login(world.users.alice)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(edit_url(victim_with_photo), {"photo": upload(picture("PNG"), "n.png")})

    victim_with_photo.refresh_from_db()
    assert victim_with_photo.photo.name != old
    assert stored_files(tmp_path) == [victim_with_photo.photo.name]


def test_removing_the_photo_deletes_the_file_and_is_audited(
    world, client, victim_with_photo, tmp_path, django_capture_on_commit_callbacks
):
    client.force_login(world.users.alice)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(edit_url(victim_with_photo), {"remove": "1"}, follow=True)

    assert "The photo has been removed." in response.content.decode()
    victim_with_photo.refresh_from_db()
    assert not victim_with_photo.photo
    assert stored_files(tmp_path) == []
    removal = AuditEvent.objects.filter(action="update").latest("pk")
    assert removal.details == {"changed": {"photo": "removed"}}


# Display ----------------------------------------------------------------------------------


def thumbnail_url(victim) -> str:
    return reverse("victim-photo", args=[victim.pk]) + "?size=thumbnail"


def test_the_owner_sees_the_thumbnail_on_the_victim_page(world, client, victim_with_photo):
    client.force_login(world.users.alice)
    page = client.get(reverse("victims:detail", args=[victim_with_photo.pk])).content.decode()
    assert thumbnail_url(victim_with_photo).replace("&", "&amp;") in page
    assert reverse("victims:photo_edit", args=[victim_with_photo.pk]) in page


def test_the_thumbnail_is_small_and_each_view_is_audited(world, client, victim_with_photo):
    client.force_login(world.users.alice)

    for _ in range(2):
        response = client.get(thumbnail_url(victim_with_photo))
        assert response.status_code == 200
        assert response["Cache-Control"] == "private, no-store"
        image = Image.open(io.BytesIO(response.content))
        assert max(image.size) == 320 and image.format == "JPEG"

    reads = AuditEvent.objects.filter(action="view", object_id=str(victim_with_photo.pk))
    assert [event.actor_username for event in reads] == ["alice", "alice"]


def test_partial_views_show_no_photo(world, client, victim_with_photo):
    """A partner under an accepted referral (referral view) and the police of the rescuing
    operation see the person, but neither the thumbnail nor the photo itself."""
    ReferralFactory(victim=victim_with_photo, to_agency=world.agencies.afesip, status="accepted")
    RescueFactory(
        victim=victim_with_photo, operation=OperationFactory(agency=world.agencies.police)
    )
    for persona in ("partner", "officer"):
        client.force_login(getattr(world.users, persona))
        page = client.get(reverse("victims:detail", args=[victim_with_photo.pk]))
        assert page.status_code == 200
        assert b"Srey" in page.content
        assert reverse("victim-photo", args=[victim_with_photo.pk]).encode() not in page.content
        assert b"victim-photo" not in page.content
        assert client.get(thumbnail_url(victim_with_photo)).status_code == 404


def test_no_photo_no_image(world, client, victim):
    client.force_login(world.users.alice)
    page = client.get(reverse("victims:detail", args=[victim.pk])).content.decode()
    assert "?size=thumbnail" not in page
    assert "Add a photo" in page
    assert Victim.objects.get(pk=victim.pk).photo.name == ""
