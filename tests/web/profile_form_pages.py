"""The profile form as a browser sends it: every field of the page with its value, so that a test
changes one field and sends the rest as the page showed them."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from fastapi.testclient import TestClient

from tests.helpers import csrf_token

Fields = dict[str, str | list[str]]


class _ProfileForm(HTMLParser):
    """The fields of the page's form.profile-form: inputs (checked radios and boxes only),
    textareas and the selected options of selects."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.inside = False
        self.fields: list[tuple[str, str]] = []
        self._textarea: str | None = None
        self._select: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {key: value or "" for key, value in attrs}
        if tag == "form" and "profile-form" in attributes.get("class", ""):
            self.inside = True
        if not self.inside:
            return
        name = attributes.get("name", "")
        if tag == "input" and name:
            kind = attributes.get("type", "text")
            if kind in ("radio", "checkbox") and "checked" not in attributes:
                return
            if kind != "submit":
                self.fields.append((name, attributes.get("value", "")))
        elif tag == "textarea":
            self._textarea, self._text = name, []
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select and "selected" in attributes:
            self.fields.append((self._select, attributes.get("value", "")))

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea" and self._textarea is not None:
            # A browser drops the one newline that follows <textarea>.
            self.fields.append((self._textarea, "".join(self._text).removeprefix("\n")))
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form":
            self.inside = False


def form_fields(html: str) -> Fields:
    """The fields the profile form of ``html`` sends as it is (a field given twice: a list)."""
    parser = _ProfileForm()
    parser.feed(html)
    fields: Fields = {}
    for name, value in parser.fields:
        if name in fields:
            existing = fields[name]
            fields[name] = [*existing, value] if isinstance(existing, list) else [existing, value]
        else:
            fields[name] = value
    return fields


def send_profile(client: TestClient, page: str, changes: Fields, *, language: str = "en") -> object:
    """Open the profile editor ``page`` in ``language`` and send its form with ``changes``."""
    html = client.get(page, params={"lang": language}).text
    action = re.search(r'<form method="post" action="([^"]+)" class="profile-form"', html)
    assert action is not None, html[:2000]
    data = {**form_fields(html), **changes, "csrf": csrf_token(html)}
    return client.post(action.group(1), data=data, follow_redirects=False)
