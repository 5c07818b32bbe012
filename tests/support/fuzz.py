"""Helpers for fuzzing the HTML forms: read a page's form into field/value pairs, and hostile values to post.

A form's valid-looking base is what the page itself offers (hidden values, the chosen option,
the checked boxes, the first submit button), so new fields are fuzzed without editing the table.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

from hypothesis import strategies as st

# Markers that must never come back unescaped: the page would run them.
INJECTIONS = ('<b data-fuzz="1">x</b>', '"><svg data-fuzz onload=alert(1)>', "<script>alert('fuzz')</script>")
RAW_MARKERS = ('<b data-fuzz="1">', "<svg data-fuzz", "<script>alert('fuzz')")
EDGE_VALUES = (
    "", " ", " \t\n ", "0", "-1", "-99999999999999999999999", "99999999999999999999999", "2147483648", "1e309",
    "NaN", "inf", "-0.0", "3,5", "x" * 10_000, "\x00", "a\x00b", "'; DROP TABLE \"user\"; --", "' OR '1'='1",
    "\u202eevil\u202c", "مرحبا بالعالم", "שלום", "😀" * 40, "👩\u200d👩\u200d👧", "Ǆ ﬀ ß İ", "null", "None", "[]", "{}",
    "true", "on", "y", "2026-02-30", "0000-00-00", "9999-12-31", "99.99.9999", "../../etc/passwd", "%00", "\r\n",
    "0000000-0", "fi", "https://example.com/", "@", "a@b", "x" * 255 + "@example.fi", *INJECTIONS,
)
UNKNOWN_NAMES = ("unknown", "id", "role", "association_id", "user_id", "status", "filled", "admin", "__class__")


@dataclass
class FormInfo:
    """One <form method=post>: where it posts, its base pairs, and the other values its fields offer."""

    action: str
    pairs: list[tuple[str, str]] = field(default_factory=list)
    offered: dict[str, list[str]] = field(default_factory=dict)

    def offer(self, name: str, value: str) -> None:
        self.offered.setdefault(name, [])
        if value not in self.offered[name]:
            self.offered[name].append(value)


class _FormParser(HTMLParser):
    def __init__(self, page_path: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page_path, self.forms = page_path, []
        self._form: FormInfo | None = None
        self._textarea: str | None = None
        self._select: tuple[str, list[tuple[str, bool]]] | None = None
        self._option: tuple[str | None, bool] | None = None
        self._text = ""
        self._buttons: set[str] = set()
        self._radios: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            if a.get("method", "get").lower() == "post":
                self._form = FormInfo(urlsplit(a.get("action") or self.page_path).path)
                self._buttons, self._radios = set(), set()
            return
        form = self._form
        if form is None or "disabled" in a:
            return
        name = a.get("name", "")
        if tag in ("input", "button") and name and name != "csrf_token":
            kind = a.get("type", "text" if tag == "input" else "submit").lower()
            value = a.get("value", "")
            if kind in ("checkbox", "radio"):
                form.offer(name, value or "y")
                if kind == "radio":
                    self._radios.add(name)
                if "checked" in a:
                    form.pairs.append((name, value or "y"))
            elif kind == "submit":
                form.offer(name, value)
                if name not in self._buttons:  # the first button is the one Enter presses
                    self._buttons.add(name)
                    form.pairs.append((name, value))
            elif kind not in ("file", "image", "reset"):
                form.offer(name, value)
                form.pairs.append((name, value))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, ""
        elif tag == "select" and name:
            self._select = (name, [])
        elif tag == "option" and self._select is not None:
            self._option, self._text = (a.get("value"), "selected" in a), ""

    def handle_data(self, data: str) -> None:
        self._text += data

    def handle_endtag(self, tag: str) -> None:
        form = self._form
        if tag == "form" and form is not None:
            chosen = {name for name, _ in form.pairs}
            form.pairs += [(name, form.offered[name][0]) for name in sorted(self._radios - chosen)]  # one answer each
            self.forms.append(form)
            self._form = None
        elif form is None:
            return
        elif tag == "textarea" and self._textarea is not None:
            value = self._text.removeprefix("\n")
            form.offer(self._textarea, value)
            form.pairs.append((self._textarea, value))
            self._textarea = None
        elif tag == "option" and self._select is not None and self._option is not None:
            value, selected = self._option
            self._select[1].append((self._text.strip() if value is None else value, selected))
            self._option = None
        elif tag == "select" and self._select is not None:
            name, options = self._select
            for value, _ in options:
                form.offer(name, value)
            chosen = [v for v, selected in options if selected] or [v for v, _ in options[:1]]
            form.pairs.extend((name, v) for v in chosen)
            self._select = None


def post_form(html: str, page_path: str, action: str) -> FormInfo | None:
    """The page's POST form that posts to `action`, or None."""
    parser = _FormParser(page_path)
    parser.feed(html)
    return next((f for f in parser.forms if f.action == urlsplit(action).path), None)


def hostile_value(offered: list[str]) -> st.SearchStrategy[str]:
    """A value for one field: what the form offers, an edge case, or anything Hypothesis likes."""
    return st.one_of(
        st.sampled_from(offered) if offered else st.just(""),
        st.sampled_from(EDGE_VALUES),
        st.text(max_size=40),
        st.integers().map(str),
        st.floats().map(str),
    )


@st.composite
def form_data(draw: st.DrawFn, base: list[tuple[str, str]], offered: dict[str, list[str]]) -> list[tuple[str, str]]:
    """The base pairs, each kept, changed, dropped or repeated, plus maybe fields the form does not have."""
    pairs: list[tuple[str, str]] = []
    for name, value in base:
        action = draw(st.sampled_from(("keep", "keep", "change", "change", "drop", "repeat")))
        if action == "keep":
            pairs.append((name, value))
        elif action == "change":
            pairs.append((name, draw(hostile_value(offered.get(name, [value])))))
        elif action == "repeat":
            pairs += [(name, value), (name, draw(hostile_value(offered.get(name, [value]))))]
    names = sorted({*offered, *UNKNOWN_NAMES})
    extra = draw(st.lists(st.tuples(st.sampled_from(names), hostile_value([])), max_size=3))
    return pairs + extra
