from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

from webapp import i18n

WEBAPP = Path(i18n.__file__).resolve().parent
METHODS = [("**.py", "python"), ("**/templates/**.html", "jinja2.ext:babel_extract")]
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None}


def html_lang(response) -> str:
    return re.search(r'<html lang="(\w+)">', response.get_data(as_text=True)).group(1)


@pytest.mark.parametrize("header, expected", [
    (None, "fi"),
    ("sv", "sv"),
    ("en-GB,en;q=0.9", "en"),
    ("de-DE,de;q=0.9,sv;q=0.5", "sv"),  # the best one we have
    ("de, fr", "fi"),  # none we have: Finnish
])
def test_the_locale_follows_accept_language_then_finnish(client, header, expected):
    headers = {"Accept-Language": header} if header else {}
    assert html_lang(client.get("/openings", headers=headers)) == expected


def test_the_language_switch_is_remembered_over_accept_language(client):
    response = client.get("/language?lang=sv&next=/openings?kind=event")
    assert response.status_code == 303 and response.location == "/openings?kind=event"
    english_browser = {"Accept-Language": "en"}
    assert html_lang(client.get("/openings", headers=english_browser)) == "sv"
    assert html_lang(client.get("/associations", headers=english_browser)) == "sv"
    client.get("/language?lang=en&next=/")
    assert html_lang(client.get("/")) == "en"


def test_the_switcher_links_back_to_the_same_page(client):
    html = client.get("/openings?kind=event", headers={"Accept-Language": "en"}).text
    assert 'href="/language?lang=sv&amp;next=/openings?kind%3Devent" lang="sv" hreflang="sv">Svenska</a>' in html
    assert 'lang="en" hreflang="en" aria-current="true">English</a>' in html


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil.example", "openings", "",
                                    "/\r\nSet-Cookie: x=1", "/\t/evil.example", "/openings\x7f"])
def test_the_switch_never_leaves_the_site(client, target):
    response = client.get("/language", query_string={"lang": "sv", "next": target})
    assert response.status_code == 303 and response.location == "/"


def test_an_unknown_language_changes_nothing(client):
    client.get("/language?lang=de&next=/")
    assert html_lang(client.get("/")) == "fi"


def _used_msgids() -> dict[str, list[str]]:
    used: dict[str, list[str]] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
            WEBAPP, METHODS, keywords=KEYWORDS, options_map={"**/templates/**.html": {}}):
        msgid = message[0] if isinstance(message, tuple) else message
        used.setdefault(msgid, []).append(f"{filename}:{lineno}")
    return used


def _catalog(lang: str):
    with (i18n.SOURCE / lang / "LC_MESSAGES" / "messages.po").open("rb") as f:
        return read_po(f, locale=lang)


def test_strings_are_found_in_python_and_templates():
    used = _used_msgids()
    assert "Skip to main content" in used  # a template of the app
    assert "Create an account to find activities that suit you. You need no CV." in used  # an audience's template
    assert "There is no open opening with this address." in used  # Python


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_every_string_has_a_translation(lang):
    catalog = _catalog(lang)
    missing = []
    for msgid, where in _used_msgids().items():
        message = catalog.get(msgid)
        strings = message.string if message is not None else ""
        if message is None or message.fuzzy or not all(strings if isinstance(strings, tuple) else (strings,)):
            missing.append(f"{msgid!r} ({', '.join(where)})")
    hint = f"untranslated in {lang}: update the catalogues (see webapp/i18n.py) and translate:\n"
    assert not missing, hint + "\n".join(missing)


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_translations_keep_their_placeholders(lang):
    problems = [(message.id, [str(e) for e in errors]) for message, errors in _catalog(lang).check()]
    assert not problems


def test_catalogues_are_compiled_when_missing_or_older(tmp_path):
    target = tmp_path / "translations"
    built = i18n.compile_catalogs(i18n.SOURCE, target)
    assert sorted(p.parts[-3] for p in built) == ["en", "fi", "sv"]
    assert i18n.compile_catalogs(i18n.SOURCE, target) == []  # up to date
    fi_mo = target / "fi" / "LC_MESSAGES" / "messages.mo"
    os.utime(fi_mo, (0, 0))  # older than its .po
    assert i18n.compile_catalogs(i18n.SOURCE, target) == [fi_mo]
    assert not list(target.rglob(".messages-*"))  # no temporary files left


def test_the_app_finds_its_compiled_catalogues(app):
    directory = Path(app.config["BABEL_TRANSLATION_DIRECTORIES"])
    for lang in ("fi", "sv", "en"):
        assert (directory / lang / "LC_MESSAGES" / "messages.mo").exists()
