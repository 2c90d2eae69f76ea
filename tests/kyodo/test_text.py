"""Normalising Japanese input (kyodo.text) and the name fields of accounts' forms."""

import pytest
from django.core.exceptions import ValidationError

from accounts.forms import ProfileForm
from kyodo.text import (
    normalize_furigana,
    normalize_phone,
    search_key,
    validate_furigana,
    validate_phone,
)

# --- フリガナ -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("ヤマダ", "ヤマダ"),
        ("ﾔﾏﾀﾞ", "ヤマダ"),  # half-width with a separate dakuten
        ("ﾊﾟﾝ", "パン"),  # handakuten
        ("ｳﾞｧｲｵﾘﾝ", "ヴァイオリン"),
        ("やまだ", "ヤマダ"),
        ("ゔぁ", "ヴァ"),
        ("ｻﾄｳｰ", "サトウー"),  # half-width prolonged sound mark
        ("やマﾀﾞ", "ヤマダ"),  # all three kinds in one word
    ],
)
def test_furigana_becomes_full_width_katakana(typed, expected):
    assert normalize_furigana(typed) == expected


@pytest.mark.parametrize(
    "typed",
    [
        "ﾔﾏﾀﾞ ﾀﾛｳ",
        "やまだ　たろう",
        "  やまだ \u3000 たろう  ",
        "ヤマダ\tタロウ",
        "ﾔﾏﾀﾞ\u3000\u3000ﾀﾛｳ",
    ],
)
def test_furigana_spaces_become_one_full_width_space_and_the_ends_are_trimmed(typed):
    assert normalize_furigana(typed) == "ヤマダ\u3000タロウ"


@pytest.mark.parametrize("empty", ["", None])
def test_furigana_normalises_nothing_to_an_empty_string(empty):
    assert normalize_furigana(empty) == ""


@pytest.mark.parametrize(
    "reading", ["ヤマダ", "ヤマダ\u3000タロウ", "サトー", "ジョン・スミス", ""]
)
def test_furigana_in_katakana_is_accepted(reading):
    validate_furigana(reading)


@pytest.mark.parametrize("wrong", ["山田", "Yamada", "ＹＡＭＡＤＡ", "ヤマ田", "ヤマダ1"])
def test_furigana_with_kanji_or_latin_letters_is_rejected(wrong):
    with pytest.raises(ValidationError) as caught:
        validate_furigana(normalize_furigana(wrong))
    assert caught.value.code == "kana"


# --- phone numbers ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("03-3666-4761", "03-3666-4761"),
        ("０３－３６６６－４７６１", "03-3666-4761"),  # full-width digits and hyphen-minus
        ("０９０‐１２３４‐５６７８", "090-1234-5678"),  # hyphen
        ("090ー1234ー5678", "090-1234-5678"),  # katakana prolonged sound mark
        ("090ｰ1234ｰ5678", "090-1234-5678"),  # its half-width form
        ("03−3666−4761", "03-3666-4761"),  # minus sign
        ("03–3666—4761", "03-3666-4761"),  # en and em dash
        (" 03 3666 4761 ", "0336664761"),
        ("０３　３６６６　４７６１", "0336664761"),  # full-width spaces
    ],
)
def test_phone_numbers_are_normalised_to_ascii_digits_and_hyphens(typed, expected):
    assert normalize_phone(typed) == expected


@pytest.mark.parametrize(
    "phone",
    ["03-3666-4761", "090-1234-5678", "0336664761", "09012345678", "050-1234-5678", "0120-123-456"],
)
def test_japanese_phone_numbers_are_accepted(phone):
    validate_phone(phone)


@pytest.mark.parametrize(
    "phone",
    ["12345", "03-1234", "3-3666-4761", "03-3666-47610", "03--3666-4761", "03-3666-476a"],
)
def test_malformed_phone_numbers_are_rejected(phone):
    with pytest.raises(ValidationError) as caught:
        validate_phone(phone)
    assert caught.value.code == "phone"


def test_an_empty_phone_number_is_allowed():
    validate_phone("")


# --- search key ---------------------------------------------------------------------------------


def test_search_key_ignores_width_kana_type_and_spaces():
    key = search_key("ヤマダタロウ")
    assert search_key("ﾔﾏﾀﾞ ﾀﾛｳ") == key
    assert search_key("やまだ　たろう") == key
    assert search_key(" ヤマダ　タロウ ") == key
    assert key == "ヤマダタロウ"


def test_search_key_ignores_the_width_and_case_of_latin_letters():
    assert search_key("ＮＰＯ法人 ABC") == search_key("npo法人abc") == "npo法人abc"


def test_search_key_of_nothing_is_empty():
    assert search_key("") == ""
    assert search_key(None) == ""


# --- the profile form (NameFieldsMixin) ---------------------------------------------------------


def profile_data(**changes):
    data = {
        "family_name": "山田",
        "given_name": "花子",
        "family_name_kana": "ヤマダ",
        "given_name_kana": "ハナコ",
        "phone": "",
        "language": "ja",
    }
    data.update(changes)
    return data


@pytest.mark.django_db
def test_profile_form_saves_half_width_and_hiragana_furigana_as_katakana(user):
    form = ProfileForm(
        data=profile_data(family_name_kana="ﾔﾏﾀﾞ", given_name_kana="はなこ"), instance=user
    )
    assert form.is_valid(), form.errors
    form.save()
    user.refresh_from_db()
    assert (user.family_name_kana, user.given_name_kana) == ("ヤマダ", "ハナコ")
    assert user.full_name_kana == "ヤマダ\u3000ハナコ"


@pytest.mark.django_db
def test_profile_form_joins_a_two_word_reading_with_one_full_width_space(user):
    form = ProfileForm(data=profile_data(given_name_kana="ﾊﾅｺ  ﾏﾘｰ"), instance=user)
    assert form.is_valid(), form.errors
    form.save()
    user.refresh_from_db()
    assert user.given_name_kana == "ハナコ\u3000マリー"


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["family_name_kana", "given_name_kana"])
@pytest.mark.parametrize("wrong", ["山田", "Yamada"])
def test_profile_form_rejects_furigana_in_kanji_or_latin(user, field, wrong):
    form = ProfileForm(data=profile_data(**{field: wrong}), instance=user)
    assert not form.is_valid()
    assert field in form.errors
    user.refresh_from_db()
    assert user.family_name_kana == "ヤマダ"  # unchanged


@pytest.mark.django_db
def test_profile_form_saves_a_full_width_phone_number_in_ascii(user):
    form = ProfileForm(data=profile_data(phone="０３－３６６６－４７６１"), instance=user)
    assert form.is_valid(), form.errors
    form.save()
    user.refresh_from_db()
    assert user.phone == "03-3666-4761"


@pytest.mark.django_db
@pytest.mark.parametrize("phone", ["12345", "03-1234"])
def test_profile_form_rejects_a_malformed_phone_number(user, phone):
    form = ProfileForm(data=profile_data(phone=phone), instance=user)
    assert not form.is_valid()
    assert "phone" in form.errors
    user.refresh_from_db()
    assert user.phone == ""


@pytest.mark.django_db
def test_profile_form_allows_leaving_the_phone_number_empty(user):
    form = ProfileForm(data=profile_data(phone=""), instance=user)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["phone"] == ""


# --- 法人番号 (corporate number) ---------------------------------------------------------------


@pytest.mark.parametrize(
    "number",
    ["7000012050002", "5010001008846"],  # the first is the National Tax Agency's own
)
def test_a_published_corporate_number_passes_its_check_digit(number):
    from kyodo.text import validate_corporate_number

    validate_corporate_number(number)


@pytest.mark.parametrize(
    "number", ["1000012050002", "7000012050003", "700001205000", "70000120500a"]
)
def test_a_wrong_corporate_number_is_refused(number):
    from kyodo.text import validate_corporate_number

    with pytest.raises(ValidationError):
        validate_corporate_number(number)


def test_the_check_digit_follows_the_national_tax_agency_formula():
    from kyodo.text import corporate_number_check_digit

    # Pn: the n-th digit from the right of the 12-digit base; Qn: 1 for odd n, 2 for even n.
    base = "000012050002"
    total = sum(int(d) * (2 if i % 2 == 0 else 1) for i, d in enumerate(reversed(base), 1))
    assert corporate_number_check_digit(base) == 9 - total % 9 == 7


def test_text_saved_in_the_database_is_in_the_centers_language():
    from django.utils import translation
    from django.utils.translation import gettext_lazy

    from kyodo.text import stored_text

    with translation.override("en"):
        assert stored_text(gettext_lazy("Renewal approved")) == "更新を承認"
