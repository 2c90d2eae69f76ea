"""Reading fonts out of a PDF: text extraction succeeds even when every glyph is tofu, so the
tests look at the embedded font programs themselves."""

import io

import pypdf
from fontTools.ttLib import TTFont


def embedded_fonts(pdf_bytes: bytes) -> list[dict]:
    """For every font of every page: its base name, whether a program is embedded, and the
    family names found in that program's name table."""
    reader = pypdf.PdfReader(io.BytesIO(pdf_bytes))
    found = []
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            target = descendants[0].get_object() if descendants else font
            descriptor = target["/FontDescriptor"].get_object()
            program = descriptor.get("/FontFile2") or descriptor.get("/FontFile3")
            families = set()
            if program is not None:
                tt = TTFont(io.BytesIO(program.get_object().get_data()))
                families = {
                    record.toUnicode() for record in tt["name"].names if record.nameID in (1, 4)
                }
            found.append(
                {
                    "base": str(font["/BaseFont"]),
                    "embedded": program is not None,
                    "families": families,
                }
            )
    return found


def pdf_text(content: bytes) -> str:
    """The text of every page with all white space removed (line breaks fall anywhere).
    Proves the words are there, not that they show: see embedded_fonts for that."""
    reader = pypdf.PdfReader(io.BytesIO(content))
    return "".join("".join(page.extract_text().split()) for page in reader.pages)
