"""The one way to get a victim's photo: a view that checks access and audits the read.
MEDIA_URL is never routed, so no uploaded file has a public address."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse

from ctms.audit import audit_reads

from .photos import thumbnail
from .selectors import VictimAccess, victims_visible_to


@login_required
def victim_photo(request: HttpRequest, pk) -> FileResponse | HttpResponse:
    """The photo of a victim the user sees in full; anyone else gets a 404. Audited, the
    small copy shown on the victim's page (`?size=thumbnail`) as well."""
    victim = victims_visible_to(request.user, at_least=VictimAccess.FULL).filter(pk=pk).first()
    if victim is None or not victim.photo:
        raise Http404
    audit_reads(actor=request.user, objects=[victim], channel="web")
    if request.GET.get("size") == "thumbnail":
        with victim.photo.open("rb") as stored:
            content, image_format = thumbnail(stored)
        response = HttpResponse(content, content_type=f"image/{image_format.lower()}")
    else:
        response = FileResponse(
            victim.photo.open("rb"), content_type=_content_type(victim.photo.name)
        )
    response["Cache-Control"] = "private, no-store"
    return response


def _content_type(name: str) -> str:
    extension = name.rsplit(".", 1)[-1].lower()
    return {"png": "image/png", "webp": "image/webp"}.get(extension, "image/jpeg")
