"""Money as it is shown, mailed and printed: integer yen, one way everywhere (¥1,900).

The grouping comma is fixed rather than taken from the active locale, so a page, an e-mail in
English and a PDF show the same figure the same way. Negative amounts (a reduction shown as a
subtraction) get a leading minus sign: −¥1,900.
"""

MINUS = "−"  # U+2212, as the printed statements write a subtraction


def yen(amount, *, subtract: bool = False) -> str:
    """yen(1900) == "¥1,900"; yen(300, subtract=True) == "−¥300" (a reduction taken off);
    None and "" give "" (nothing to show)."""
    if amount is None or amount == "":
        return ""
    value = int(amount)
    sign = MINUS if value < 0 or (subtract and value > 0) else ""
    return f"{sign}¥{abs(value):,}"
