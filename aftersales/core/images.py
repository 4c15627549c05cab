"""One check for every image the product accepts (attachments, portal photos, work-order photos,
signatures, part pictures): it must be readable and not larger than ``IMAGE_MAX_PIXELS``.

A PNG of a few dozen bytes can claim 50,000 × 50,000 pixels; decoding it would take gigabytes
of memory (a "decompression bomb"). The size is read from the header, before any pixel is
decoded, and an image above the limit is refused with a message in the user's language.
Pillow's own guard (``Image.MAX_IMAGE_PIXELS``) is set to the same limit when the project
starts, so an image opened anywhere else is stopped too.
"""

from __future__ import annotations

import io
import warnings
from typing import IO

from django import forms
from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from .errors import InvalidInput

DEFAULT_MAX_PIXELS = 40_000_000


def max_pixels() -> int:
    return int(getattr(settings, "IMAGE_MAX_PIXELS", DEFAULT_MAX_PIXELS))


def apply_pillow_limit() -> None:
    """Make Pillow refuse (warning at the limit, error at twice it) what we refuse."""
    Image.MAX_IMAGE_PIXELS = max_pixels()


def _too_large(
    name: str, width: int | None = None, height: int | None = None, limit: int | None = None
) -> InvalidInput:
    limit = limit or max_pixels()
    return InvalidInput(
        _("“%(name)s” is too large an image: at most %(limit)s megapixels are accepted.")
        % {"name": name, "limit": f"{limit / 1_000_000:g}"},
        code="image_too_large",
        detail={"width": width, "height": height, "max_pixels": limit},
    )


def check_image(
    data: bytes | IO[bytes], *, name: str = "", limit: int | None = None
) -> tuple[int, int]:
    """Return the image's ``(width, height)`` or raise :class:`InvalidInput`: ``image_too_large``
    for more pixels than allowed (``limit``, else ``IMAGE_MAX_PIXELS``), ``attachment_corrupt``
    for a file that is not a readable image. Only the header is read for the size, then the
    file is verified."""
    limit = min(limit or max_pixels(), max_pixels())
    stream = io.BytesIO(data) if isinstance(data, bytes | bytearray) else data
    start = stream.tell() if hasattr(stream, "tell") else 0
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(stream) as img:
                width, height = img.size
                if width * height > limit:
                    raise _too_large(name, width, height, limit)
                img.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _too_large(name, limit=limit) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise InvalidInput(
            _("“%(name)s” is not a readable image.") % {"name": name},
            code="attachment_corrupt",
        ) from exc
    finally:
        if hasattr(stream, "seek"):
            stream.seek(start)
    return width, height


class LimitedImageField(forms.ImageField):
    """A form's image field that refuses what :func:`check_image` refuses, with its message,
    before Django's own image check decodes anything."""

    def to_python(self, data):
        if data and hasattr(data, "read"):
            try:
                check_image(data, name=getattr(data, "name", "") or "")
            except InvalidInput as exc:
                raise forms.ValidationError(str(exc.message), code=exc.code) from exc
        return super().to_python(data)
