"""Victim photos are stored without their metadata (SPEC: `photo`, metadata stripped)."""

from __future__ import annotations

import io
import uuid

import filetype
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

# Formats kept as they are (re-encoded); anything else Pillow can read becomes a JPEG.
OUTPUT_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
MAX_PIXELS = 40_000_000  # refuse decompression bombs well before Pillow's own limit
MAX_BYTES = 15 * 1024 * 1024
# What a photo may be, judged by its first bytes (never by its name or Content-Type).
PHOTO_TYPES = {"image/jpeg", "image/png", "image/webp"}
HEAD_BYTES = 8192
THUMBNAIL_PIXELS = 320


def checked_photo(upload) -> ContentFile:
    """The photo to store, or a ValidationError on `photo` saying why not: not empty, at most
    15 MB, a JPEG, PNG or WebP by its content, readable; stored without its metadata."""
    size = getattr(upload, "size", None) or 0
    if size == 0:
        raise ValidationError({"photo": [_("The file is empty.")]})
    if size > MAX_BYTES:
        raise ValidationError({"photo": [_("The picture is larger than 15 MB.")]})
    upload.seek(0)
    guess = filetype.guess(upload.read(HEAD_BYTES))
    upload.seek(0)
    if guess is None or guess.mime not in PHOTO_TYPES:
        raise ValidationError({"photo": [_("The file is not a JPEG, PNG or WebP picture.")]})
    return photo_without_metadata(upload)


def photo_without_metadata(upload, *, field: str = "photo") -> ContentFile:
    """Re-encode an uploaded image from its pixels alone, so that EXIF (GPS position, camera,
    time), XMP, IPTC and comments are not carried over. The orientation EXIF implies is applied
    to the pixels first, so the picture still stands the right way up. Errors are reported
    under `field` (documents reuse this for their JPEG and PNG files)."""
    if getattr(upload, "size", 0) > MAX_BYTES:
        raise ValidationError({field: [_("The picture is larger than 15 MB.")]})
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            if image.width * image.height > MAX_PIXELS:
                raise ValidationError({field: [_("The picture is too large.")]})
            image_format = image.format if image.format in OUTPUT_FORMATS else "JPEG"
            upright = ImageOps.exif_transpose(image)
            if image_format == "JPEG" and upright.mode not in ("RGB", "L"):
                upright = upright.convert("RGB")
            # A fresh image holds pixels only: no info dict, no EXIF, no text chunks.
            clean = Image.new(upright.mode, upright.size)
            clean.paste(upright)
            if upright.mode == "P":
                clean.putpalette(upright.getpalette())
            buffer = io.BytesIO()
            clean.save(buffer, format=image_format)
    except (
        UnidentifiedImageError,
        OSError,
        ValueError,
        SyntaxError,  # some broken PNG and GIF files
        EOFError,
        Image.DecompressionBombError,
    ) as error:
        raise ValidationError({field: [_("The file is not a picture CTMS can read.")]}) from error
    name = f"{uuid.uuid4().hex}.{OUTPUT_FORMATS[image_format]}"
    return ContentFile(buffer.getvalue(), name=name)


def thumbnail(stored) -> tuple[bytes, str]:
    """A small copy (at most THUMBNAIL_PIXELS wide or high) of a stored photo, for the victim's
    page; stored photos are already re-encoded, so the copy carries no metadata either."""
    with Image.open(stored) as image:
        image_format = image.format if image.format in OUTPUT_FORMATS else "JPEG"
        image.thumbnail((THUMBNAIL_PIXELS, THUMBNAIL_PIXELS))
        if image_format == "JPEG" and image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        buffer = io.BytesIO()
        image.save(buffer, format=image_format)
    return buffer.getvalue(), image_format
