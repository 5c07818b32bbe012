"""Pieces of pages rendered once per process and kept, looked up by everything they show.

"My matches" draws ten matches with their reasons and buttons on every visit; drawing
them costs more than finding them (the engine keeps the matches, see `engine.matches`),
and youths come back to the page again and again. So the list is kept here, keyed by
its rows, the language and the template. What is fixed per process (URLs, translations)
needs no key. The one value that belongs to a session, the CSRF token in each form, is
drawn as a stand-in (`TOKEN`) and replaced on the way out, so a kept piece is never
another session's.
"""
from __future__ import annotations

import threading
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any

from cachetools import LRUCache
from flask import Flask, current_app, render_template
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from ..i18n import lang

_KEY = "polku.fragments"
FRAGMENT_CACHE_SIZE = 1024  # pieces kept per process (config FRAGMENT_CACHE_SIZE; 0: none)
# Stands for the request's CSRF token in a kept piece. No input can hold a NUL (input_guard
# refuses it), so no user's text can smuggle one in and have it replaced.
TOKEN = "\x00csrf-token\x00"


@dataclass
class _Fragments:
    cache: LRUCache[tuple[str, str, Hashable], str] | None  # (template, language, key) -> the rendered piece
    lock: threading.Lock = field(default_factory=threading.Lock)


def render(template: str, key: Hashable, **context: Any) -> Markup:
    """`template` rendered with `context` and `token=TOKEN`, or the kept copy for `key`.

    `key` must determine everything the template shows from `context`; the template
    puts `token` where a form's CSRF token goes (see youth/_interest_button.html)."""
    store: _Fragments = current_app.extensions[_KEY]
    full_key = (template, lang(), key)
    html = None
    if store.cache is not None:
        with store.lock:
            html = store.cache.get(full_key)
    if html is None:
        html = render_template(template, token=TOKEN, **context)
        if store.cache is not None:
            with store.lock:
                store.cache[full_key] = html
    return Markup(html.replace(TOKEN, generate_csrf()))


def init_app(app: Flask) -> None:
    size = int(app.config.get("FRAGMENT_CACHE_SIZE", FRAGMENT_CACHE_SIZE))
    app.extensions[_KEY] = _Fragments(LRUCache(size) if size > 0 else None)
