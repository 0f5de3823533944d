"""Helpers for the staff interface tests: submit a page's form as a browser would.

Reading the rendered form back (every input, checkbox and select with its
current value) lets a test change only what it means to, exactly like an
editor who opens a page, edits one field and saves.
"""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any, Protocol


class _Page(Protocol):
    content: bytes


class _FormReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.in_form = False
        self.values: dict[str, list[str]] = {}
        self._textarea: str | None = None
        self._text: list[str] = []
        self._select: str | None = None

    def _add(self, name: str, value: str) -> None:
        self.values.setdefault(name, []).append(value)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and "manage-form" in a.get("class", ""):
            self.in_form = True
        if not self.in_form:
            return
        name = a.get("name", "")
        if tag == "input" and name and name != "csrfmiddlewaretoken":
            kind = a.get("type", "text")
            if kind in {"checkbox", "radio"}:
                self.values.setdefault(name, [])
                if "checked" in a:
                    self._add(name, a.get("value", "on"))
            elif kind not in {"submit", "button"}:
                self._add(name, a.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []
        elif tag == "select" and name:
            self._select = name
            self.values.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in a:
            self._add(self._select, a.get("value", ""))

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea" and self._textarea is not None:
            self._add(self._textarea, "".join(self._text).removeprefix("\n"))
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form":
            self.in_form = False


def form_data(response: _Page, **changes: Any) -> dict[str, Any]:
    """The page's edit form as POST data, with ``changes`` applied.

    Multiple values stay lists; a value of ``None`` removes the field (an
    unticked checkbox).
    """
    reader = _FormReader()
    reader.feed(response.content.decode())
    data: dict[str, Any] = {
        name: values if len(values) != 1 else values[0]
        for name, values in reader.values.items()
        if values
    }
    for name, value in changes.items():
        key = name.replace("__", "-")
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data
