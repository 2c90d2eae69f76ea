"""The organization's forms normalise what people type and keep to the call's themes."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from organizations.models import Organization
from proposals.forms import (
    SHEET_FIELDS,
    AmountField,
    AttachmentForm,
    BudgetFormSet,
    ProposalSheetForm,
    ProposalStartForm,
    WithdrawForm,
    allowed_kinds,
)
from tests.factories import OrganizationFactory, RoundFactory, ThemeFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _start_form(round_, organization, **data):
    return ProposalStartForm(
        {"organization": organization.pk, **data},
        round_=round_,
        organizations=Organization.objects.filter(pk=organization.pk),
    )


# --- kind and theme ------------------------------------------------------------------------


def test_a_call_offers_themes_only_when_it_has_some_and_free_only_when_it_takes_them():
    free_only = RoundFactory()
    assert [k for k, _label in allowed_kinds(free_only)] == ["free"]
    themed = RoundFactory(accepts_free_proposals=False)
    ThemeFactory(round=themed)
    assert [k for k, _label in allowed_kinds(themed)] == ["theme"]
    both = RoundFactory()
    ThemeFactory(round=both)
    assert [k for k, _label in allowed_kinds(both)] == ["theme", "free"]


def test_a_theme_proposal_needs_one_of_the_calls_themes(organization):
    round_ = RoundFactory()
    own = ThemeFactory(round=round_)
    foreign = ThemeFactory(round=RoundFactory())
    missing = _start_form(round_, organization, kind="theme", title="提案")
    assert not missing.is_valid()
    assert "Choose one of the call's themes." in missing.errors["theme"]
    other = _start_form(round_, organization, kind="theme", theme=foreign.pk, title="提案")
    assert not other.is_valid()
    assert "theme" in other.errors
    good = _start_form(round_, organization, kind="theme", theme=own.pk, title=" 提案 ")
    assert good.is_valid(), good.errors
    assert good.cleaned_data["theme"] == own
    assert good.cleaned_data["title"] == "提案"


def test_a_free_proposal_drops_a_theme_chosen_by_mistake(organization):
    round_ = RoundFactory()
    theme = ThemeFactory(round=round_)
    form = _start_form(round_, organization, kind="free", theme=theme.pk, title="自由な提案")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["theme"] is None


def test_a_free_proposal_is_refused_by_a_call_that_takes_only_themes(organization):
    round_ = RoundFactory(accepts_free_proposals=False)
    ThemeFactory(round=round_)
    form = _start_form(round_, organization, kind="free", title="自由な提案")
    assert not form.is_valid()
    assert "kind" in form.errors


def test_only_the_given_organizations_can_be_chosen(organization):
    round_ = RoundFactory()
    other = OrganizationFactory()
    form = ProposalStartForm(
        {"organization": other.pk, "kind": "free", "title": "提案"},
        round_=round_,
        organizations=Organization.objects.filter(pk=organization.pk),
    )
    assert not form.is_valid()
    assert "organization" in form.errors


# --- the sheet -----------------------------------------------------------------------------


def test_the_sheet_strips_text_and_needs_only_a_title():
    round_ = RoundFactory()
    data = {name: "" for name in SHEET_FIELDS}
    data.update(kind="free", title="  見守り事業  ", issue="  課題\n二行目  ")
    form = ProposalSheetForm(data, round_=round_)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["title"] == "見守り事業"
    assert form.cleaned_data["issue"] == "課題\n二行目"
    assert form.cleaned_data["theme"] is None
    without_title = ProposalSheetForm({**data, "title": "   "}, round_=round_)
    assert not without_title.is_valid()
    assert "title" in without_title.errors


def test_the_sheet_groups_every_field_once_and_marks_what_submission_needs():
    form = ProposalSheetForm(round_=RoundFactory())
    grouped = [field.name for _legend, fields in form.groups() for field in fields]
    assert sorted(grouped) == sorted(SHEET_FIELDS)
    assert form.fields["aims"].help_text == "Needed before you submit."
    assert form.fields["year1_schedule"].help_text == ""
    assert form.fields["issue"].label == "The local issue and its background"


def test_the_sheet_refuses_an_unknown_form_of_collaboration():
    data = {name: "" for name in SHEET_FIELDS}
    data.update(kind="free", title="提案", collaboration_form="partnership")
    form = ProposalSheetForm(data, round_=RoundFactory())
    assert not form.is_valid()
    assert "collaboration_form" in form.errors


# --- amounts and the budget ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("120000", 120000),
        ("120,000", 120000),
        ("１２０，０００", 120000),
        ("¥120,000", 120000),
        ("￥120,000", 120000),
        ("120,000円", 120000),
        (" 0 ", 0),
    ],
)
def test_amounts_are_read_as_people_type_them(typed, value):
    assert AmountField(min_value=0).clean(typed) == value


@pytest.mark.parametrize("typed", ["-5", "1.5", "abc", "十万"])
def test_amounts_must_be_whole_yen_and_not_negative(typed):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        AmountField(min_value=0).clean(typed)


def _budget(rows, initial=0):
    data = {
        "budget-TOTAL_FORMS": str(len(rows)),
        "budget-INITIAL_FORMS": str(initial),
        "budget-MIN_NUM_FORMS": "0",
        "budget-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"budget-{index}-{key}"] = value
    return BudgetFormSet(data, prefix="budget")


EMPTY_ROW = {"year": "", "category": "", "item": "", "amount": "", "borne_by": "ward"}


def test_empty_and_removed_lines_are_left_out():
    formset = _budget(
        [
            {
                "year": "1",
                "category": "fees",
                "item": " 謝礼 ",
                "amount": "5,000",
                "borne_by": "ward",
            },
            {"year": "2", "category": "venue", "item": "会場", "amount": "1", "DELETE": "on"},
            EMPTY_ROW,
        ]
    )
    assert formset.is_valid(), formset.errors
    assert formset.lines() == [
        {"year": 1, "category": "fees", "item": "謝礼", "amount": 5000, "borne_by": "ward"}
    ]


def test_a_half_written_line_is_an_error():
    formset = _budget([{**EMPTY_ROW, "amount": "3000"}])
    assert not formset.is_valid()
    assert {"year", "category", "item"} <= set(formset.errors[0])


def test_a_line_needs_a_known_category_and_year():
    formset = _budget(
        [{"year": "3", "category": "food", "item": "弁当", "amount": "100", "borne_by": "ward"}]
    )
    assert not formset.is_valid()
    assert {"year", "category"} <= set(formset.errors[0])


def test_the_budget_offers_three_empty_lines_to_add_more():
    assert BudgetFormSet(prefix="budget", initial=[]).total_form_count() == 3
    initial = [{"year": 1, "category": "fees", "item": "謝礼", "amount": 1, "borne_by": "ward"}]
    assert BudgetFormSet(prefix="budget", initial=initial).total_form_count() == 4


# --- attachments and withdrawal ------------------------------------------------------------


def test_an_attachment_must_be_a_document_of_an_allowed_type():
    good = AttachmentForm({"title": " 予算内訳 "}, {"file": SimpleUploadedFile("yosan.pdf", PDF)})
    assert good.is_valid(), good.errors
    assert good.cleaned_data["title"] == "予算内訳"
    renamed = AttachmentForm({"title": ""}, {"file": SimpleUploadedFile("x.pdf", b"MZ\x90")})
    assert not renamed.is_valid()
    program = AttachmentForm({"title": ""}, {"file": SimpleUploadedFile("x.exe", b"MZ\x90")})
    assert not program.is_valid()


def test_a_withdrawal_reason_is_optional_and_stripped():
    assert WithdrawForm({"reason": ""}).is_valid()
    form = WithdrawForm({"reason": "  体制が整わない  "})
    assert form.is_valid()
    assert form.cleaned_data["reason"] == "体制が整わない"
