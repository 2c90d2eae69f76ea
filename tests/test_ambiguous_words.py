"""Short English words that mean different things in different places get a context.

One msgid has one translation: a review stage's "Closed" read 休館 (the center is closed),
a budget line's "Category" read 相談分類 (a consultation category) and the proposals' "Results"
column read 検索結果 (search results). Every use of these words now carries a context
(pgettext / {% translate … context … %}); this guards the catalogue and the sources against
a bare use coming back, and checks the pages that went wrong.
"""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from proposals.enums import BudgetCategory, StageStatus
from proposals.forms import BudgetLineForm
from tests.factories import ProposalFactory, RoundFactory, StaffFactory, StageFactory
from tests.proposals.conftest import manager_of

PO_PATH = Path(settings.BASE_DIR) / "locale" / "ja" / "LC_MESSAGES" / "django.po"

# Words used with more than one meaning in the portal: never without a context.
MUST_HAVE_CONTEXT = [
    "Category",
    "Closed",
    "Dates",
    "Details",
    "Free",
    "Group",
    "Project",
    "Registration",
    "Results",
    "Review",
    "Submitted",
    "Title",
    "Type",
    "Waiting",
    "Ward",
    "notes",
    "review",
    "reviews",
    "title",
    "type",
]

SOURCE_DIRS = [
    "accounts",
    "consultations",
    "events",
    "coordination",
    "facilities",
    "kyodo",
    "organizations",
    "proposals",
    "evaluations",
    "publications",
]


def _sources():
    base = Path(settings.BASE_DIR)
    for directory in [*SOURCE_DIRS, "templates"]:
        for path in (base / directory).rglob("*"):
            if path.suffix in {".py", ".html", ".txt"} and "migrations" not in path.parts:
                yield path


def test_the_catalogue_has_no_bare_entry_for_an_ambiguous_word():
    catalogue = polib.pofile(str(PO_PATH))
    bare = [
        f"{entry.msgid!r} ({', '.join(path for path, _line in entry.occurrences)})"
        for entry in catalogue
        if not entry.obsolete and entry.msgid in MUST_HAVE_CONTEXT and not entry.msgctxt
    ]
    assert bare == [], "give these a context (pgettext / translate … context …): " + "; ".join(bare)


def test_no_source_translates_an_ambiguous_word_without_a_context():
    words = "|".join(re.escape(word) for word in MUST_HAVE_CONTEXT)
    python = re.compile(rf"\b(?:_|gettext|gettext_lazy|gettext_noop)\(\s*\"({words})\"\s*\)")
    template = re.compile(rf"\{{%\s*(?:translate|trans)\s+\"({words})\"\s*(?:as \w+\s*)?%\}}")
    found = []
    for path in _sources():
        text = path.read_text(encoding="utf-8")
        for match in [*python.finditer(text), *template.finditer(text)]:
            line = text.count("\n", 0, match.start()) + 1
            found.append(f"{path.relative_to(settings.BASE_DIR)}:{line} {match.group(1)!r}")
    assert found == []


def test_a_closed_review_stage_is_not_a_closed_center():
    with translation.override("ja"):
        assert str(StageStatus.CLOSED.label) == "採点終了"
        assert translation.pgettext("center", "Closed") == "休館"


def test_a_budget_line_category_is_not_a_consultation_category():
    with translation.override("ja"):
        form = BudgetLineForm()
        assert str(form.fields["category"].label) == "費目"
        assert str(BudgetCategory.SUPPLIES.label) == "消耗品費"


@pytest.mark.django_db
def test_the_staff_calls_page_shows_a_closed_stage_as_closed_for_scoring(client):
    StageFactory(status=StageStatus.CLOSED)
    client.force_login(StaffFactory())
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ja"

    page = client.get(reverse("proposals_staff:rounds")).content.decode()

    assert "採点終了" in page
    assert "休館" not in page.split("<footer", 1)[0]


@pytest.mark.django_db
def test_the_public_calls_list_has_a_results_column_not_search_results(client):
    RoundFactory()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ja"

    page = client.get(reverse("proposals:index")).content.decode()

    assert "審査結果" in page
    assert "検索結果" not in page


@pytest.mark.django_db
def test_the_proposal_sheet_names_the_budget_column_by_its_expense_category(client):
    proposal = ProposalFactory()
    client.force_login(manager_of(proposal.organization))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ja"

    page = client.get(reverse("proposals:edit", args=[proposal.pk])).content.decode()

    assert "費目" in page
    assert "相談分類" not in page


@pytest.mark.django_db
def test_the_home_page_still_says_the_center_is_closed_on_its_closing_day(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ja"

    page = client.get("/").content.decode()

    assert "休館" in page  # Mondays (data migration kyodo 0002) are in the week shown
