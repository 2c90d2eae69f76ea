"""Every page is valid HTML: the Nu Html Checker (vnu) over the pages each role reaches.

The pages are fetched with Django's test client (tests/site_pages.py), written to a folder and
checked in one run of vnu (one JVM start). Skipped without node_modules/vnu-jar or Java, except
in CI (tests/checkers.py).
"""

import pytest

from tests.checkers import vnu_command, vnu_errors
from tests.site_pages import site_pages

pytestmark = [pytest.mark.django_db, pytest.mark.pages]


def test_every_page_is_valid_html(tmp_path):
    vnu_command()  # skip (or fail in CI) before the crawl when the checker is missing
    pages = site_pages()
    folder = tmp_path / "pages"
    folder.mkdir()
    names = {}
    for number, page in enumerate(pages):
        name = f"{number:04d}.html"
        (folder / name).write_text(page.html)
        names[name] = page
    assert len({page.role for page in pages}) >= 5, "the crawl reached too little"

    errors = vnu_errors(folder)
    report = []
    for error in errors:
        page = names[error["url"].rsplit("/", 1)[-1]]
        report.append(
            f"{page.role} {page.url} line {error.get('lastLine')}: {error['message']}"
            f" — {' '.join(error.get('extract', '').split())[:120]}"
        )
    assert not report, f"{len(report)} HTML errors on {len(pages)} pages:\n" + "\n".join(report)
