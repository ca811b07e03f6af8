"""A person held by DoSVY-BMC (alice), rescued by AHTJP-BMC (officer), referred to AFESIP
(partner, accepted); Hagar (other_partner) and DoSVY-SVR (bob) are unrelated."""

from __future__ import annotations

import datetime as dt
import io
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.factories import (
    CaseFactory,
    OperationFactory,
    ProsecutionFactory,
    ReferralFactory,
    RescueFactory,
    VictimFactory,
)

TODAY = dt.date.today()


@pytest.fixture
def scene(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    agencies = world.agencies
    victim = VictimFactory(agency=agencies.dosvy_bmc)
    case = CaseFactory(agency=agencies.dosvy_bmc)
    case.victims.add(victim)
    operation = OperationFactory(agency=agencies.police, case=case)
    RescueFactory(operation=operation, victim=victim)
    referral = ReferralFactory(
        victim=victim, from_agency=agencies.dosvy_bmc, to_agency=agencies.afesip, status="accepted"
    )
    prosecution = ProsecutionFactory(court=agencies.court, case=case)
    return SimpleNamespace(
        victim=victim,
        case=case,
        referral=referral,
        prosecution=prosecution,
        users=world.users,
        agencies=agencies,
    )


def png_with_exif() -> bytes:
    """A PNG carrying a text chunk and EXIF (camera and GPS-like data)."""
    from PIL import PngImagePlugin

    image = Image.new("RGB", (16, 16), (200, 0, 0))
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "taken at the shelter gate")
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", pnginfo=info, exif=exif)
    return buffer.getvalue()


def jpeg_with_exif() -> bytes:
    image = Image.new("RGB", (16, 16), (0, 0, 200))
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"
    exif[0x0110] = "PhoneModel"
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# The first bytes of a Windows executable (MZ header) and of a Linux one (ELF).
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 240
SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
)


def upload(name: str, content: bytes, content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)
