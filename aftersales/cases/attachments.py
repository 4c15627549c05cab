"""Checking uploaded files before they become attachments.

The type is read from the bytes (``filetype``), never from the name or the browser's claim; a
file whose name says one type and whose content is another is refused as disguised. An image
must be readable and within the pixel limit (:func:`aftersales.core.images.check_image`).
"""

from __future__ import annotations

import os

import filetype
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from aftersales.core.errors import InvalidInput
from aftersales.core.images import check_image

ALLOWED_TYPES = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "image/gif": "gif",
    "application/pdf": "pdf",
}
EXTENSION_TYPES = {
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
    "gif": "image/gif",
    "pdf": "application/pdf",
}


def sniff_upload(upload: UploadedFile) -> tuple[str, str]:
    """Return ``(content_type, extension)`` or raise :class:`InvalidInput`."""
    limit = settings.ATTACHMENT_MAX_BYTES
    if upload.size is None or upload.size == 0:
        raise InvalidInput(_("The file is empty."), code="attachment_empty")
    if upload.size > limit:
        raise InvalidInput(
            _("“%(name)s” is larger than the limit of %(limit)s.")
            % {"name": upload.name, "limit": filesizeformat(limit)},
            code="attachment_too_large",
        )
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    content_type = kind.mime if kind else ""
    if content_type not in ALLOWED_TYPES:
        raise InvalidInput(
            _("“%(name)s” is not an image or PDF file.") % {"name": upload.name},
            code="attachment_type",
        )
    ext = os.path.splitext(upload.name or "")[1].lower().lstrip(".")
    if ext and ext in EXTENSION_TYPES and EXTENSION_TYPES[ext] != content_type:
        raise InvalidInput(
            _("“%(name)s” is named as one type of file but contains another.")
            % {"name": upload.name},
            code="attachment_disguised",
        )
    if ext and ext not in EXTENSION_TYPES:
        raise InvalidInput(
            _("“%(name)s” is not an image or PDF file.") % {"name": upload.name},
            code="attachment_type",
        )
    if content_type.startswith("image/"):
        try:
            check_image(upload.read(), name=upload.name or "")
        finally:
            upload.seek(0)
    return content_type, ALLOWED_TYPES[content_type]
