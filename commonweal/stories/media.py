"""Photos and sound recordings that tellers send: what they really are, and a copy safe to keep.

A phone's photo can carry where it was taken (GPS), when, and on which device, in EXIF, XMP or
comments. Every photo is saved again by Pillow with none of that: only its pixels, turned the right
way up first (the orientation tag goes with the rest), and its colour profile. An animated picture
keeps its first frame. The stored name and the type it is served with come from what Pillow found in
the file, never from the name it was sent with, so a picture called ``evil.html`` is kept and served
as the picture it is. Recordings are not changed, but their type is read from their first bytes
against a short list, and that type names and serves them.
"""

from __future__ import annotations

import io
from collections.abc import Collection
from typing import IO

from django.core.files.base import ContentFile
from PIL import Image, ImageOps

from commonweal.stories.constants import AUDIO_TYPES

# Pillow's format -> (stored extension, content type). Only these are kept and served.
PHOTO_TYPES = {
    "JPEG": ("jpg", "image/jpeg"),
    "PNG": ("png", "image/png"),
    "WEBP": ("webp", "image/webp"),
    "GIF": ("gif", "image/gif"),
}
PHOTO_EXTENSIONS = frozenset(extension for extension, _ in PHOTO_TYPES.values())
# What a re-saved picture keeps of its information: transparency and colour, nothing about the taking.
_PHOTO_INFO_KEPT = frozenset({"transparency", "icc_profile"})
_PHOTO_SAVE_OPTIONS: dict[str, dict[str, object]] = {
    "JPEG": {"quality": 90, "optimize": True},
    "WEBP": {"quality": 90},
    "PNG": {"optimize": True},
    "GIF": {},
}

# The first bytes of the recordings we take, and the extension (a key of AUDIO_TYPES) they give.
_AUDIO_MAGIC = (
    (b"ID3", "mp3"),
    (b"\xff\xfb", "mp3"),
    (b"\xff\xf3", "mp3"),
    (b"\xff\xf2", "mp3"),
    (b"OggS", "ogg"),
    (b"\x1aE\xdf\xa3", "webm"),
    (b"\xff\xf1", "aac"),
    (b"\xff\xf9", "aac"),
)


class MediaError(ValueError):
    """The file is not a picture (or recording) we can keep; the message says so in plain words."""


def photo_format(file: IO[bytes]) -> str | None:
    """The format Pillow finds in the file (``"JPEG"``...), if it is one we keep; else None."""
    file.seek(0)
    try:
        with Image.open(file) as image:
            found = image.format
    except Exception:  # Pillow raises many kinds of error for files that are not pictures
        return None
    finally:
        file.seek(0)
    return found if found in PHOTO_TYPES else None


def photo_content_type(file: IO[bytes]) -> str | None:
    found = photo_format(file)
    return PHOTO_TYPES[found][1] if found else None


def photo_without_metadata(file: IO[bytes]) -> ContentFile[bytes]:
    """A copy of the photo with only its pixels (the right way up) and colour profile, named
    ``photo.<extension>`` from the format Pillow found."""
    file.seek(0)
    try:
        with Image.open(file) as image:
            found = image.format
            if found not in PHOTO_TYPES:
                raise MediaError("The photo must be a JPEG, PNG, WebP or GIF picture.")
            image.seek(0)
            upright = ImageOps.exif_transpose(image)
            upright.load()
    except MediaError:
        raise
    except Exception as exc:  # Pillow raises many kinds of error for files it cannot read
        raise MediaError(
            "The photo is not a picture we can read: choose a JPEG, PNG, WebP or GIF file."
        ) from exc
    finally:
        file.seek(0)
    upright.info = {key: value for key, value in upright.info.items() if key in _PHOTO_INFO_KEPT}
    buffer = io.BytesIO()
    upright.save(buffer, found, **_PHOTO_SAVE_OPTIONS[found])
    extension = PHOTO_TYPES[found][0]
    return ContentFile(buffer.getvalue(), name=f"photo.{extension}")


def audio_extension(head: bytes) -> str | None:
    """The kind of recording its first bytes show (``"mp3"``...), if it is one we take; else None."""
    if head[4:8] == b"ftyp":  # MP4 / M4A
        return "m4a"
    if head.startswith(b"RIFF") and head[8:12] == b"WAVE":
        return "wav"
    for magic, extension in _AUDIO_MAGIC:
        if head.startswith(magic):
            return extension
    return None


def audio_detect(file: IO[bytes]) -> str | None:
    """The stored extension of a recording, from its first bytes; None if it is not one we take."""
    file.seek(0)
    head = file.read(16)
    file.seek(0)
    return audio_extension(head)


def audio_content_type(extension: str) -> str:
    return AUDIO_TYPES.get(extension, "application/octet-stream")


def stored_extension(name: str, allowed: Collection[str]) -> str:
    """The extension of a stored file's name if it is one we keep, else ``bin`` (never served as a page)."""
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return suffix if suffix in allowed else "bin"
