"""Upload limits shared by every pillar: a size cap and a short list of document types,
checked by the file's first bytes as well as its name (a renamed .exe is refused)."""

from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

# extension → the bytes such a file starts with (docx/xlsx are zip containers)
DOCUMENT_TYPES = {
    "pdf": (b"%PDF-",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "docx": (b"PK\x03\x04",),
    "xlsx": (b"PK\x03\x04",),
}

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def extension_of(name: str) -> str:
    return PurePath(name).suffix.lower().lstrip(".")


def validate_document(upload, *, allowed=tuple(DOCUMENT_TYPES)) -> None:
    """Raise ValidationError unless ``upload`` is small enough and of an allowed type."""
    limit = settings.KYODO_UPLOAD_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("The file is too large (%(size)s); the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="file_too_large",
        )
    extension = extension_of(upload.name)
    if extension not in allowed:
        raise ValidationError(
            _("Upload a file of one of these types: %(types)s.")
            % {"types": ", ".join(sorted({a.upper() for a in allowed}))},
            code="file_type",
        )
    position = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    head = upload.read(16)
    upload.seek(position)
    if not any(head.startswith(magic) for magic in DOCUMENT_TYPES[extension]):
        raise ValidationError(
            _("The file's content does not match its name (.%(ext)s).") % {"ext": extension},
            code="file_content",
        )


def content_type_for(name: str) -> str:
    return CONTENT_TYPES.get(extension_of(name), "application/octet-stream")
