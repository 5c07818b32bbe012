"""The "Is this for you?" panel of an opening page, read as a youth reads it: its reasons' texts and signs."""
from __future__ import annotations

import html as htmllib
import re

PANEL = re.compile(r'<section class="why" aria-labelledby="why-heading">(.*?)</section>', re.S)
HEADINGS = {"en": "Is this for you?", "fi": "Sopiiko tämä sinulle?", "sv": "Passar det här dig?"}


def panel(client, ref="o-dog") -> str:
    response = client.get(f"/openings/{ref}")
    assert response.status_code == 200
    found = PANEL.findall(response.text)
    assert len(found) <= 1
    return htmllib.unescape(found[0]) if found else ""


SIGNS = re.compile(r'<span class="(?:sign|visually-hidden)"[^>]*>.*?</span>|<a [^>]*>.*?</a>', re.S)


def items(section: str, css: str) -> list[str]:
    """The texts of a list's items, without their signs and links."""
    match = re.search(rf'<ul class="{css}"[^>]*>(.*?)</ul>', section, re.S)
    if not match:
        return []
    return [" ".join(htmllib.unescape(SIGNS.sub("", t)).split())
            for t in re.findall(r"<li[^>]*>(.*?)</li>", match.group(1), re.S)]


def signs(section: str, css: str = "reasons") -> list[str]:
    """The visible sign of each item: '+', '−' or '·'."""
    match = re.search(rf'<ul class="{css}"[^>]*>(.*?)</ul>', section, re.S)
    return re.findall(r'<span class="sign" aria-hidden="true">(.)</span>', match.group(1)) if match else []


def in_language(client, lang):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = lang
    return client
