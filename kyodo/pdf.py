"""Render a Django template to PDF with WeasyPrint, with a Japanese font embedded.

Resources are fetched only from our own static folders and the font's folder: any other URL
(http, https, ftp, or a file elsewhere on disk) stops the rendering with PDFResourceRefused,
so a template can never make the server reach out or leak a local file into a document.
"""

import functools
import importlib.metadata
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import ImproperlyConfigured
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher

PRINT_STYLESHEET = "kyodo/css/print.css"
_DEBIAN_FONT = Path("/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf")
FONT_FAMILY = "KyodoJapanese"


class PDFResourceRefused(FatalURLFetchingError):
    """A template asked for a resource outside the allowed folders."""


@functools.cache
def font_path() -> Path:
    """The TTF with Japanese glyphs: the setting, else the pinned wheel, else Debian's."""
    if settings.KYODO_PDF_FONT_PATH:
        path = Path(settings.KYODO_PDF_FONT_PATH)
        if not path.is_file():
            raise ImproperlyConfigured(f"KYODO_PDF_FONT_PATH={path} is not a file.")
        return path.resolve()
    try:
        # Located through the package metadata, never imported: importing it would pull in
        # matplotlib, which we do not install (the wheel is installed with --no-deps).
        dist = importlib.metadata.distribution("matplotlib-fontja")
        candidate = Path(dist.locate_file("matplotlib_fontja/fonts/ipaexg.ttf"))
        if candidate.is_file():
            return candidate.resolve()
    except importlib.metadata.PackageNotFoundError:
        pass
    if _DEBIAN_FONT.is_file():
        return _DEBIAN_FONT
    raise ImproperlyConfigured(
        "No Japanese font for PDFs: run `make install` (installs matplotlib-fontja==1.1.0 "
        "with --no-deps), install Debian's fonts-ipaexfont-gothic, or set KYODO_PDF_FONT_PATH."
    )


def _static_roots() -> list[Path]:
    roots = [Path(settings.STATIC_ROOT)]
    for finder in finders.get_finders():
        for storage in getattr(finder, "storages", {}).values():
            location = getattr(storage, "location", None)
            if location:
                roots.append(Path(location))
    return [root.resolve() for root in roots]


class LocalOnlyURLFetcher(URLFetcher):
    """Serves file:// URLs inside the allowed folders and data: URLs; refuses the rest."""

    def __init__(self, allowed_roots: list[Path]):
        super().__init__(allowed_protocols={"file", "data"}, fail_on_errors=True)
        self.allowed_roots = allowed_roots

    def fetch(self, url, headers=None):
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme != "file":
            raise PDFResourceRefused(f"Refused to fetch a remote resource for a PDF: {url}")
        path = Path(unquote(urlsplit(url).path)).resolve()
        if not any(path.is_relative_to(root) for root in self.allowed_roots):
            raise PDFResourceRefused(f"Refused to read a file outside the static folders: {path}")
        return super().fetch(url, headers)


def static_file_url(path: str) -> str:
    """file:// URL of a static file, for <img> and <link> in PDF templates."""
    found = finders.find(path)
    if not found:
        raise ValueError(f"Static file not found: {path}")
    return Path(found).resolve().as_uri()


def _font_css(font_config: FontConfiguration) -> CSS:
    # @font-face only takes effect through a FontConfiguration shared with write_pdf.
    return CSS(
        font_config=font_config,
        string=(
            f"@font-face {{ font-family: {FONT_FAMILY}; src: url({font_path().as_uri()}); }}"
            f"html {{ font-family: {FONT_FAMILY}, sans-serif; }}"
        ),
    )


def render_pdf(template_name: str, context: dict | None = None, *, language: str = "ja") -> bytes:
    """Render ``template_name`` with ``context`` in ``language`` and return the PDF's bytes."""
    with translation.override(language):
        html = render_to_string(template_name, {**(context or {}), "LANGUAGE_CODE": language})
    fetcher = LocalOnlyURLFetcher([*_static_roots(), font_path().parent])
    stylesheet = finders.find(PRINT_STYLESHEET)
    font_config = FontConfiguration()
    document = HTML(
        string=html,
        base_url=(Path(settings.BASE_DIR) / "static").as_uri() + "/",
        url_fetcher=fetcher,
    )
    return document.write_pdf(
        stylesheets=[
            _font_css(font_config),
            CSS(filename=stylesheet, url_fetcher=fetcher, font_config=font_config),
        ],
        font_config=font_config,
    )
