"""Read a form back out of a rendered page, as a browser would submit it untouched."""

import re
from datetime import date
from html.parser import HTMLParser

SKIPPED_INPUTS = {"submit", "button", "reset", "image", "file"}


def _sanitized(kind: str, value: str) -> str:
    """What a browser keeps of a value attribute (HTML value sanitization): an unreadable date or number is empty."""
    if kind == "date":
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return ""
        try:
            date.fromisoformat(value)
        except ValueError:
            return ""
    elif kind == "number" and value and not re.fullmatch(r"-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?", value):
        return ""
    return value


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []  # (attrs, [(name, value)])
        self._form = None
        self._select = None  # (name, multiple, options[(value, selected)])
        self._option = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._form = (attrs, [])
            self.forms.append(self._form)
            return
        if self._form is None:
            return
        fields = self._form[1]
        name = attrs.get("name")
        if tag == "input" and name and "disabled" not in attrs:
            kind = (attrs.get("type") or "text").lower()
            if kind in SKIPPED_INPUTS:
                return
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    fields.append((name, attrs.get("value", "on")))
            else:
                fields.append((name, _sanitized(kind, attrs.get("value") or "")))
        elif tag == "select" and name and "disabled" not in attrs:
            self._select = (name, "multiple" in attrs, [])
        elif tag == "option" and self._select is not None:
            self._option = [attrs.get("value"), "selected" in attrs, ""]
            self._select[2].append(self._option)
        elif tag == "textarea" and name and "disabled" not in attrs:
            self._textarea = [name, ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data
        elif self._option is not None:
            self._option[2] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "option":
            self._option = None
        elif tag == "textarea" and self._textarea is not None:
            # The HTML parser drops the one newline that may follow <textarea>, as browsers do.
            name, text = self._textarea
            self._form[1].append((name, text[1:] if text.startswith("\n") else text))
            self._textarea = None
        elif tag == "select" and self._select is not None:
            name, multiple, options = self._select
            values = [(v if v is not None else label) for v, selected, label in options if selected]
            if not values and not multiple and options:  # a browser submits the first option
                first = options[0]
                values = [first[0] if first[0] is not None else first[2]]
            self._form[1].extend((name, v) for v in values)
            self._select = None


def rendered_forms(html: str, action: str) -> list[dict[str, list[str]]]:
    """The fields of each POST form whose action is `action` ("" matches a form posting to its own page)."""
    parser = _FormParser()
    parser.feed(html)
    found = []
    for attrs, fields in parser.forms:
        if (attrs.get("method") or "get").lower() == "post" and (attrs.get("action") or "") == action:
            data: dict[str, list[str]] = {}
            for name, value in fields:
                data.setdefault(name, []).append(value)
            found.append(data)
    return found


def rendered_form(html: str, action: str, **having: str) -> dict[str, list[str]]:
    """The one POST form with this action (and these field values, where several share the action)."""
    forms = [f for f in rendered_forms(html, action) if all(f.get(k) == [v] for k, v in having.items())]
    assert forms, f"no POST form with action={action!r} and {having} on the page"
    return forms[0]
