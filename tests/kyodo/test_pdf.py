import shutil
import subprocess

import pytest

from kyodo.documents import guide_context
from kyodo.pdf import PDFResourceRefused, render_pdf
from tests.pdfcheck import embedded_fonts


def _render_string(tmp_path, settings, html):
    """Render a one-off template from a temporary template folder."""
    folder = tmp_path / "templates"
    folder.mkdir(exist_ok=True)
    (folder / "one_off.html").write_text(html, encoding="utf-8")
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [folder, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    return render_pdf("one_off.html", {})


@pytest.fixture
def guide_pdf(db):
    return render_pdf("pdf/guide.html", guide_context(None))


def test_guide_pdf_embeds_the_ipaex_japanese_font(guide_pdf):
    fonts = embedded_fonts(guide_pdf)
    assert fonts, "the PDF has no font at all"
    assert all(font["embedded"] for font in fonts)
    assert all(any("IPAex" in family for family in font["families"]) for font in fonts), (
        fonts
    )  # no fallback font (e.g. DejaVu, which has no kanji) slipped in


def test_guide_pdf_holds_the_centers_details(guide_pdf):
    import io

    import pypdf

    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(guide_pdf)).pages)
    compact = "".join(text.split())
    assert "協働ステーション中央" in compact
    assert "03-3666-4761" in compact
    assert "令和" in compact  # the issue date is written in 和暦


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler-utils is not installed")
def test_pdffonts_reports_the_japanese_font_as_embedded(guide_pdf, tmp_path):
    path = tmp_path / "guide.pdf"
    path.write_bytes(guide_pdf)
    output = subprocess.run(  # noqa: S603 -- a fixed program on our own file
        [shutil.which("pdffonts"), str(path)], capture_output=True, text=True, check=True
    ).stdout
    rows = output.splitlines()[2:]
    assert rows
    # Columns: name type encoding emb sub uni; every font is embedded ("yes" in emb).
    assert all(" yes " in row for row in rows), output


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/logo.png",
        "http://127.0.0.1:8000/static/x.png",
        "file:///etc/passwd",
        "ftp://example.com/a.png",
    ],
)
def test_rendering_refuses_remote_urls_and_files_outside_static(tmp_path, settings, url):
    with pytest.raises(PDFResourceRefused):
        _render_string(tmp_path, settings, f'<html><body><img src="{url}"></body></html>')


@pytest.mark.django_db
def test_rendering_reads_our_own_static_files(tmp_path, settings):
    html = (
        "{% load kyodo_tags %}<html><body><p>協働</p>"
        '<link rel="stylesheet" href="{% pdf_static "kyodo/css/print.css" %}"></body></html>'
    )
    pdf = _render_string(tmp_path, settings, html)  # a refused fetch would raise
    assert pdf.startswith(b"%PDF")
