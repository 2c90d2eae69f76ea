"""The Japanese catalogue: complete, compiled, placeholders intact, and actually used.

Japanese is the primary language (LANGUAGE_CODE = "ja"); English is the source language of the
strings. The compiled .mo is kept in the repository so the portal runs without GNU gettext, so
it must never lag behind the .po (run `make messages` after editing the .po).
"""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings

LC_MESSAGES = Path(settings.BASE_DIR) / "locale" / "ja" / "LC_MESSAGES"
PO_PATH = LC_MESSAGES / "django.po"
MO_PATH = LC_MESSAGES / "django.mo"

# printf-style conversions as Python's % operator reads them: %s, %d, %(name)s, %5.2f, …
# ("%%" is a literal percent sign and is matched first so that it is not taken for one).
PLACEHOLDER = re.compile(
    r"%%|%(?:\([^)]*\))?[#0 +-]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[diouxXeEfFgGcrsa]"
)


@pytest.fixture(scope="module")
def po():
    return polib.pofile(str(PO_PATH))


def _live(catalogue):
    return [entry for entry in catalogue if not entry.obsolete and entry.msgid]


def _placeholders(text):
    return {match for match in PLACEHOLDER.findall(text) if match != "%%"}


def _label(entry):
    context = f"[{entry.msgctxt}] " if entry.msgctxt else ""
    return f"{context}{entry.msgid!r}"


def _is_translated(entry):
    # MOEntry has no translated(); an .mo holds only what msgfmt kept, but check the same way.
    if entry.msgid_plural:
        return bool(entry.msgstr_plural) and all(entry.msgstr_plural.values())
    return bool(entry.msgstr)


def _translations(catalogue):
    """(msgctxt, msgid, msgstr or sorted plural forms) of every usable translation."""
    found = set()
    for entry in _live(catalogue):
        if "fuzzy" in entry.flags or not _is_translated(entry):
            continue
        if entry.msgid_plural:
            text = tuple(sorted((int(k), v) for k, v in entry.msgstr_plural.items()))
        else:
            text = entry.msgstr
        found.add((entry.msgctxt or None, entry.msgid, text))
    return found


def test_header_is_japanese_with_one_plural_form(po):
    assert po.metadata["Language"] == "ja"
    assert po.metadata["Project-Id-Version"] == "kyodo"
    assert "charset=UTF-8" in po.metadata["Content-Type"]
    assert po.metadata["Plural-Forms"].replace(" ", "") == "nplurals=1;plural=0;"
    header = "\n".join([po.header, *po.metadata.values()])
    for placeholder in ("FULL NAME", "YEAR", "PACKAGE", "EMAIL@ADDRESS"):
        assert placeholder not in header


def test_every_entry_is_translated_and_none_is_fuzzy(po):
    untranslated = [_label(e) for e in _live(po) if not e.translated()]
    fuzzy = [_label(e) for e in _live(po) if "fuzzy" in e.flags]
    assert not untranslated, f"untranslated: {untranslated}"
    assert not fuzzy, f"fuzzy: {fuzzy}"
    assert not po.metadata_is_fuzzy


def test_plural_entries_have_the_single_japanese_form(po):
    for entry in _live(po):
        if entry.msgid_plural:
            assert set(entry.msgstr_plural) == {0}, _label(entry)
            assert entry.msgstr_plural[0], _label(entry)


def test_committed_mo_matches_the_po(po):
    assert MO_PATH.exists(), "compile the catalogue: make messages"
    mo = polib.mofile(str(MO_PATH))
    in_po = _translations(po)
    in_mo = _translations(mo)
    assert in_po == in_mo, (
        "django.mo is out of date; run compilemessages. "
        f"Only in .po: {sorted(in_po - in_mo, key=str)[:5]}; "
        f"only in .mo: {sorted(in_mo - in_po, key=str)[:5]}"
    )


def test_placeholders_are_kept(po):
    wrong = []
    for entry in _live(po):
        if "no-python-format" in entry.flags or not entry.translated():
            continue
        if entry.msgid_plural:
            expected = _placeholders(entry.msgid_plural)
            # Japanese has one form, used for every count: it must take the plural's values.
            pairs = [(expected, text) for text in entry.msgstr_plural.values()]
            if _placeholders(entry.msgid) - expected:
                wrong.append(_label(entry))
        else:
            pairs = [(_placeholders(entry.msgid), entry.msgstr)]
        for expected, text in pairs:
            if _placeholders(text) != expected:
                wrong.append(f"{_label(entry)}: {sorted(expected)} vs {text!r}")
    assert not wrong, "placeholders changed in: " + "; ".join(wrong)


def test_home_page_is_in_japanese_by_default(client, db):
    response = client.get("/")
    body = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="ja">' in body
    assert "<title>協働ステーション中央</title>" in body
    assert "相談" in body
    assert "施設予約" in body
    assert "開館時間" in body
    assert "Consultation" not in body


def test_home_page_is_in_english_when_the_visitor_chooses_it(client, db):
    # The language switch stores the choice in the language cookie; every locale middleware
    # honours it (whether Accept-Language counts is the middleware's policy, tested elsewhere).
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/")
    body = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="en">' in body
    assert "Consultation" in body
    assert "施設予約" not in body
