"""CSV downloads as Japanese offices open them: UTF-8 with a byte order mark (Excel reads a
CSV as Shift_JIS without it), "\\r\\n" line ends, and formula-looking cells kept as text."""

import csv
from collections.abc import Callable, Iterable

from django.http import HttpResponse

BOM = "\ufeff"

# A cell starting with one of these runs as a formula in spreadsheet programs; values come
# from applicants and askers, so such a cell is written as text (OWASP "CSV injection").
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(_FORMULA_STARTS) else text


def csv_download(filename: str) -> tuple[HttpResponse, Callable[[Iterable], None]]:
    """An attachment response with the BOM written, and a function that writes one row."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write(BOM)
    writer = csv.writer(response)

    def write(row):
        writer.writerow([safe_cell(value) for value in row])

    return response, write
