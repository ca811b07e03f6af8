"""What a document file must be (SPEC section 9): PDF, JPEG or PNG judged by its content, at
most 15 MB, images stored without their metadata.

The type is read from the file's first bytes with `filetype` (pure Python, no libmagic to
install in the image; it knows the signatures of these three formats and of the executables
people rename), never from the name or the browser's Content-Type, which the sender chooses."""

from __future__ import annotations

import uuid

import filetype
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from victims.photos import photo_without_metadata

from .models import DOCUMENT_TYPES, MAX_DOCUMENT_BYTES

HEAD_BYTES = 8192


def checked_document_file(upload) -> tuple[ContentFile, str]:
    """The file to store and its content type, or a ValidationError on `file` with the
    reason. Images are re-encoded from their pixels (EXIF, GPS, XMP dropped); PDFs are kept
    as sent, under a random name."""
    if upload is None:
        raise ValidationError({"file": [_("Choose a file.")]})
    size = getattr(upload, "size", None) or 0
    if size > MAX_DOCUMENT_BYTES:
        raise ValidationError(
            {
                "file": [
                    _("The file is %(size)s; at most 15 MB is accepted.")
                    % {"size": filesizeformat(size)}
                ]
            }
        )
    if size == 0:
        raise ValidationError({"file": [_("The file is empty.")]})
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    guess = filetype.guess(head)
    content_type = guess.mime if guess else ""
    if content_type not in DOCUMENT_TYPES:
        reason = (
            _("The file's content is %(type)s, not a PDF, JPEG or PNG.") % {"type": content_type}
            if content_type
            else _("The file's content is not a PDF, JPEG or PNG.")
        )
        raise ValidationError({"file": [reason]})
    if content_type == "application/pdf":
        stored = ContentFile(upload.read(), name=f"{uuid.uuid4().hex}.pdf")
    else:
        stored = photo_without_metadata(upload, field="file")
    return stored, content_type
