"""Serving a stored file to someone a view has already found allowed: always as an attachment,
with the type its name says, and 404 — not a server error — when there is no file or the
stored file is gone."""

from django.http import FileResponse, Http404

from kyodo.models import DocumentStatus
from kyodo.uploads import content_type_for


def file_download(field_file, *, filename: str = "", content_type: str = "") -> FileResponse:
    if not field_file:
        raise Http404
    try:
        handle = field_file.open("rb")
    except OSError:  # FileNotFoundError included: the stored file is gone
        raise Http404 from None
    name = filename or field_file.name.rsplit("/", 1)[-1]
    return FileResponse(
        handle,
        as_attachment=True,
        filename=name,
        content_type=content_type or content_type_for(name),
    )


def document_download(document) -> FileResponse:
    """A GeneratedDocument's PDF, once it is ready."""
    if document is None or document.status != DocumentStatus.READY:
        raise Http404
    return file_download(document.file, filename=document.filename, content_type="application/pdf")
