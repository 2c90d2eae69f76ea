"""Read a form's current values out of a rendered page, as a browser would submit it
unchanged: text inputs and hidden fields with their value, checked boxes and radios, the
selected options of a select (the first option when none is marked, as browsers do), and
the text of textareas. File inputs and buttons are left out (a browser sends a file only when
one is chosen, and the test posts no submit button unless asked)."""

from html.parser import HTMLParser

SKIPPED_INPUT_TYPES = {"submit", "button", "reset", "image", "file"}


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._select: dict | None = None
        self._option: dict | None = None
        self._textarea: dict | None = None

    def handle_starttag(self, tag, attrs):
        attributes = {name: ("" if value is None else value) for name, value in attrs}
        if tag == "form":
            self._form = {"action": attributes.get("action", ""), "fields": []}
            self.forms.append(self._form)
            return
        if self._form is None:
            return
        disabled = "disabled" in attributes
        if tag == "input":
            kind = attributes.get("type", "text").lower()
            name = attributes.get("name")
            if not name or disabled or kind in SKIPPED_INPUT_TYPES:
                return
            if kind in ("checkbox", "radio"):
                if "checked" in attributes:
                    self._form["fields"].append((name, attributes.get("value", "on")))
                elif kind == "radio":
                    # A radio group with nothing checked sends nothing: noted, so that a test
                    # can tell a choice the page failed to show.
                    self._form.setdefault("unchecked", set()).add(name)
                return
            self._form["fields"].append((name, attributes.get("value", "")))
        elif tag == "select" and not disabled and attributes.get("name"):
            self._select = {
                "name": attributes["name"],
                "multiple": "multiple" in attributes,
                "options": [],
            }
        elif tag == "option" and self._select is not None:
            self._option = {
                "value": attributes.get("value"),
                "selected": "selected" in attributes,
                "text": "",
            }
            self._select["options"].append(self._option)
        elif tag == "textarea" and not disabled and attributes.get("name"):
            self._textarea = {"name": attributes["name"], "text": ""}

    def handle_data(self, data):
        if self._option is not None:
            self._option["text"] += data
        if self._textarea is not None:
            self._textarea["text"] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "option":
            self._option = None
        elif tag == "select" and self._select is not None:
            self._close_select()
        elif tag == "textarea" and self._textarea is not None:
            text = self._textarea["text"]
            # The HTML parser drops the one newline right after <textarea>, as browsers do.
            if text.startswith("\n"):
                text = text[1:]
            self._form["fields"].append((self._textarea["name"], text))
            self._textarea = None

    def _close_select(self):
        select, self._select = self._select, None
        options = select["options"]
        values = [o for o in options if o["selected"]]
        if not values and not select["multiple"] and options:
            values = [options[0]]
        for option in values:
            value = option["value"] if option["value"] is not None else option["text"].strip()
            self._form["fields"].append((select["name"], value))


def page_forms(html: str) -> list[dict]:
    """Every form of the page: {"action": ..., "fields": [(name, value), ...]}."""
    parser = _FormParser()
    parser.feed(html)
    parser.close()
    return parser.forms


def form_fields(html: str, *, action: str, page_url: str = "") -> list[tuple[str, str]]:
    """The (name, value) pairs the form posting to ``action`` would submit unchanged (a form
    without an action posts to the page's own address, ``page_url``)."""
    matching = [f for f in page_forms(html) if (f["action"] or page_url) == action]
    if len(matching) != 1:
        found = [f["action"] for f in page_forms(html)]
        raise AssertionError(f"expected one form posting to {action}, found: {found}")
    return matching[0]["fields"]


def form_values(html: str, *, action: str, page_url: str = "") -> dict:
    """The form's values as POST data for the test client: a list where a name repeats."""
    data: dict = {}
    for name, value in form_fields(html, action=action, page_url=page_url):
        if name in data:
            previous = data[name]
            data[name] = [*previous, value] if isinstance(previous, list) else [previous, value]
        else:
            data[name] = value
    data.pop("csrfmiddlewaretoken", None)
    return data
