"""Pages in English with the demo data: what Japanese is left once the data that has no English
field (names of groups and people, addresses, free text) is taken out. Shared by the test in
tests/kyodo/test_english_pages.py."""

import html
import re
from html.parser import HTMLParser

from django.apps import apps
from django.db import models

# Hiragana, katakana (full and half width), CJK ideographs and the iteration mark 々.
JAPANESE = re.compile(
    r"[\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f々]+"
)
# Language names in their own language (the language switcher, the profile's language choice).
ENDONYMS = ("日本語",)
OUR_APPS = {"kyodo", "accounts", "organizations", "consultations", "facilities", "proposals"}
ATTRIBUTES = {"aria-label", "title", "alt", "placeholder", "aria-description"}


class _Text(HTMLParser):
    """The text a reader sees or hears: text nodes and the labelling attributes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style"}:
            self._skip += 1
        for name, value in attrs:
            if name in ATTRIBUTES and value:
                self.chunks.append(value)

    def handle_endtag(self, tag):
        if tag in {"script", "style"} and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.chunks.append(data)


def visible_text(page: str) -> list[str]:
    parser = _Text()
    parser.feed(page)
    return [html.unescape(chunk) for chunk in parser.chunks]


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def untranslatable_data() -> list[str]:
    """Every text held in a field of ours that has no English twin (``<field>_en``): names of
    organizations and people, addresses, the free text people wrote. Longest first, and line by
    line as well, since pages break long texts into lines."""
    found = set(ENDONYMS)
    for model in apps.get_models():
        meta = model._meta
        if meta.app_label not in OUR_APPS or model.__name__.startswith("Historical"):
            continue
        names = {field.name for field in meta.concrete_fields}
        taken = [
            field.name
            for field in meta.concrete_fields
            if isinstance(field, models.CharField | models.TextField | models.JSONField)
            and not field.choices
            and f"{field.name}_en" not in names
            and not field.name.endswith("_en")
        ]
        if not taken:
            continue
        for row in model.objects.values_list(*taken):
            for value in row:
                for text in _strings(value):
                    if text and JAPANESE.search(text):
                        found.add(text.strip())
                        found.update(line.strip() for line in text.splitlines() if line.strip())
                        found.update(part for part in re.split(r"\s+", text) if part)
    return sorted(found, key=len, reverse=True)


def japanese_left(page: str, allowed: list[str]) -> list[str]:
    """The pieces of Japanese in the page's visible text once the allowed texts are removed."""
    left = []
    for chunk in visible_text(page):
        if not JAPANESE.search(chunk):
            continue
        for text in allowed:
            if text in chunk:
                chunk = chunk.replace(text, " ")
                if not JAPANESE.search(chunk):
                    break
        left.extend(JAPANESE.findall(chunk))
    return left
