"""Normalising Japanese input: フリガナ, phone numbers, and a key for kana-insensitive search."""

import re
import unicodedata

import jaconv
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_KATAKANA = re.compile(r"^[゠-ヿ　 ]*$")  # the katakana block (incl. ー・) and spaces


def normalize_furigana(value: str) -> str:
    """Any kana input to full-width katakana: ﾔﾏﾀﾞ, やまだ and ヤマダ all become ヤマダ.

    Any whitespace (half- or full-width spaces, tabs) becomes one full-width space, and the
    ends are trimmed.
    """
    if not value:
        return ""
    text = jaconv.h2z(value, kana=True, ascii=False, digit=False)  # ｶﾅ → カナ (joins ﾞﾟ)
    text = jaconv.hira2kata(text)
    text = re.sub(r"\s+", "　", text).strip("　")
    return text


def validate_furigana(value: str) -> None:
    if value and not _KATAKANA.match(value):
        raise ValidationError(_("Enter the reading in katakana (or hiragana)."), code="kana")


def normalize_phone(value: str) -> str:
    """Full-width digits and dashes to ASCII; keeps the hyphens the user wrote."""
    text = unicodedata.normalize("NFKC", value or "").strip()
    return re.sub(r"[‐‑‒–—―−ー]", "-", text).replace(" ", "")


_PHONE = re.compile(r"^0\d{1,4}-?\d{1,4}-?\d{3,4}$")


def validate_phone(value: str) -> None:
    digits = value.replace("-", "")
    if value and (not _PHONE.match(value) or len(digits) not in (10, 11)):
        raise ValidationError(
            _("Enter a Japanese phone number such as 03-3666-4761 or 090-1234-5678."),
            code="phone",
        )


def search_key(value: str) -> str:
    """A key that ignores width, hiragana/katakana and spaces, for kana-insensitive search."""
    text = unicodedata.normalize("NFKC", value or "")
    text = jaconv.hira2kata(text)
    return re.sub(r"\s+", "", text).lower()
