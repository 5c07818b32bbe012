"""Selkokieli: the Finnish a youth reads on their pages is short sentences and common, short words.

Every string the youth's templates mark for translation is looked up in the Finnish
catalogue and measured: words per sentence (the average and the longest) and words
longer than a common compound. The limits follow the Finnish plain-language guidance
(selkokeskus.fi: short sentences, one thing at a time) loosely enough for real texts.
"""
from __future__ import annotations

import re
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2] / "webapp"
YOUTH_TEMPLATES = [*sorted((ROOT / "youth" / "templates" / "youth").glob("*.html")),
                   ROOT / "public" / "templates" / "public" / "_why.html", ROOT / "templates" / "_reasons.html",
                   ROOT / "templates" / "_interest_button.html"]
MARKED = re.compile(r"""_\(\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')""")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")

AVERAGE_WORDS = 8.0  # words per sentence, over all the youth's sentences (headings and labels count too)
MOST_WORDS = 16  # the longest one sentence may be
LONG_WORD = 22  # letters: longer than "työturvallisuuskortti"
LONG_WORD_SHARE = 0.01  # of all words


def _finnish() -> dict[str, str]:
    with (ROOT / "translations" / "fi" / "LC_MESSAGES" / "messages.po").open("rb") as f:
        catalog = read_po(f, locale="fi")
    out = {}
    for message in catalog:
        if message.id and message.string:
            key = message.id[0] if isinstance(message.id, tuple) else message.id
            text = message.string[-1] if isinstance(message.string, tuple) else message.string
            out[key] = text
    return out


def youth_sentences() -> list[str]:
    finnish = _finnish()
    texts = []
    for template in YOUTH_TEMPLATES:
        for double, single in MARKED.findall(template.read_text(encoding="utf-8")):
            msgid = (double or single).replace('\\"', '"')
            if msgid in finnish:
                texts.append(re.sub(r"%\(\w+\)[sd]", "X", finnish[msgid]))
    return [s for text in texts for s in SENTENCE_END.split(text) if WORD.search(s)]


def test_the_youths_finnish_is_short_sentences():
    sentences = youth_sentences()
    assert len(sentences) > 50  # the check reads the pages' strings, not nothing
    lengths = [len(WORD.findall(s)) for s in sentences]
    longest = max(zip(lengths, sentences))
    assert sum(lengths) / len(lengths) <= AVERAGE_WORDS, sum(lengths) / len(lengths)
    assert longest[0] <= MOST_WORDS, longest


def test_the_youths_finnish_has_few_long_words():
    words = [w for s in youth_sentences() for w in WORD.findall(s)]
    long_words = sorted({w for w in words if len(w) > LONG_WORD})
    assert len([w for w in words if len(w) > LONG_WORD]) <= LONG_WORD_SHARE * len(words), long_words
