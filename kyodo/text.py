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


def corporate_number_check_digit(base12: str) -> int:
    """The check digit of a 法人番号 for its 12 base digits (国税庁's published formula):
    9 − (Σ Pn × Qn mod 9), Pn the n-th digit from the right, Qn 1 for odd n and 2 for even."""
    total = sum(int(d) * (2 if n % 2 == 0 else 1) for n, d in enumerate(reversed(base12), 1))
    return 9 - total % 9


def normalize_digits(value: str) -> str:
    """Full-width digits and dashes to ASCII, spaces and hyphens removed."""
    text = unicodedata.normalize("NFKC", value or "")
    return re.sub(r"[\s\-‐‑‒–—―−ー]", "", text)


def validate_corporate_number(value: str) -> None:
    if not value:
        return
    if not re.fullmatch(r"\d{13}", value):
        raise ValidationError(_("A corporate number has 13 digits."), code="corporate_number")
    if int(value[0]) != corporate_number_check_digit(value[1:]):
        raise ValidationError(
            _("This corporate number is not valid (its check digit does not match)."),
            code="corporate_number_check",
        )


def normalize_postal_code(value: str) -> str:
    digits = normalize_digits(value)
    return f"{digits[:3]}-{digits[3:]}" if re.fullmatch(r"\d{7}", digits) else (value or "").strip()


def validate_postal_code(value: str) -> None:
    if value and not re.fullmatch(r"\d{3}-\d{4}", value):
        raise ValidationError(_("Enter a postal code such as 103-0001."), code="postal_code")


PREFECTURES = (
    "北海道",
    "青森県",
    "岩手県",
    "宮城県",
    "秋田県",
    "山形県",
    "福島県",
    "茨城県",
    "栃木県",
    "群馬県",
    "埼玉県",
    "千葉県",
    "東京都",
    "神奈川県",
    "新潟県",
    "富山県",
    "石川県",
    "福井県",
    "山梨県",
    "長野県",
    "岐阜県",
    "静岡県",
    "愛知県",
    "三重県",
    "滋賀県",
    "京都府",
    "大阪府",
    "兵庫県",
    "奈良県",
    "和歌山県",
    "鳥取県",
    "島根県",
    "岡山県",
    "広島県",
    "山口県",
    "徳島県",
    "香川県",
    "愛媛県",
    "高知県",
    "福岡県",
    "佐賀県",
    "長崎県",
    "熊本県",
    "大分県",
    "宮崎県",
    "鹿児島県",
    "沖縄県",
)


def stored_text(message, **values) -> str:
    """A translatable text that is saved in the database (a reason, a placeholder title): it is
    written in the center's language, not in whichever language the person acting chose."""
    from django.conf import settings
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        text = str(message)
    return text % values if values else text
