"""What a youth says they do not want is no interest: negated clauses are cut out of their words.

"tykkään koirista mut en haluu olla isos porukas" keeps "tykkään koirista mut": the scope of
a negation runs from its word ("en", "ei", "inte", "not", "don't", "no", ...) to the end of its
clause (punctuation or a word such as "mutta", "but", "men") or at most SCOPE words on. Only
youths' own texts are read this way: an opening's "ei vaadi kokemusta" is a fact, not a wish.

>>> affirmed("Tykkään koirista, en haluu olla isos porukas.")
'Tykkään koirista, .'
>>> affirmed("I like drawing but not football; dogs are great")
'I like drawing but ; dogs are great'
"""
from __future__ import annotations

import re

SCOPE = 6  # words after the negation word that it reaches at most
NEGATIONS = frozenset(
    """en et ei emme ette eivät enkä etkä eikä emmekä ettekä eivätkä älä älkää
    inte ej aldrig icke
    not no never nor dont don't doesnt doesn't didnt didn't cannot can't cant wont won't hate""".split()
)
# Words that end a negation's clause: a new clause begins and says something else.
CLAUSE_ENDS = frozenset(
    """mutta mut vaan kuitenkin paitsi koska ku kun
    men utan fast eftersom dock
    but though although however except because""".split()
)
_TOKEN = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?|[.,;:!?()\n]")
_STOP = re.compile(r"[.,;:!?()\n]")


def affirmed(text: str) -> str:
    """The text without its negated clauses (the negation word and what it reaches)."""
    if not text:
        return text
    cut: list[tuple[int, int]] = []
    scope_end = -1
    remaining = 0
    for m in _TOKEN.finditer(text):
        token = m.group().lower().replace("’", "'")
        if remaining and (_STOP.fullmatch(token) or token in CLAUSE_ENDS):
            remaining = 0
        if token in NEGATIONS:
            start = m.start()
            remaining = SCOPE + 1
        if remaining:
            if scope_end < 0:
                cut.append((start, m.end()))
            else:
                cut[-1] = (cut[-1][0], m.end())
            scope_end = m.end()
            remaining -= 1
            if not remaining:
                scope_end = -1
        else:
            scope_end = -1
    if not cut:
        return text
    out, last = [], 0
    for a, b in cut:
        out.append(text[last:a])
        last = b
    out.append(text[last:])
    return "".join(out)
