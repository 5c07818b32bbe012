"""Which answer in a youth's profile keeps openings from them, and where to change it.

The engine tells, per hard rule, which openings that rule alone excludes
(`Matcher.hidden`); the rules that come from the youth's own answers are named here
in the youth's words, each with the step of the profile that holds the answer. Age,
ended and full openings are no answer the youth could change, so they are not named.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import ngettext

from matching import Youth

from ..engine import matches as engine_matches
from ..models import YouthProfile

EXAMPLES = 3  # hidden openings named per answer

# rule code -> (the profile step that holds the answer, the field on that step)
ANSWER_OF: dict[str, tuple[int, str]] = {
    "not_at_home": (4, "needs"),
    "not_accessible": (4, "needs"),
    "remote_not_wanted": (2, "remote_ok"),
    "too_far": (2, "max_travel_km"),
    "language": (4, "languages"),
    "requirement": (4, "qualifications"),
    "schedule": (3, "availability"),
}


def answer_text(code: str, count: int) -> str:
    """'5 openings near you need you on site: you said you can only work from home.' in the reader's language."""
    if code == "not_at_home":
        return ngettext("%(num)d opening near you needs you on site: you said you can only take part from home.",
                        "%(num)d openings near you need you on site: you said you can only take part from home.",
                        count)
    if code == "not_accessible":
        return ngettext("%(num)d opening near you is not marked wheelchair accessible, and you asked for that.",
                        "%(num)d openings near you are not marked wheelchair accessible, and you asked for that.",
                        count)
    if code == "remote_not_wanted":
        return ngettext("%(num)d remote opening is hidden: you said you do not want remote activities.",
                        "%(num)d remote openings are hidden: you said you do not want remote activities.", count)
    if code == "too_far":
        return ngettext("%(num)d opening is further away than you said you can travel.",
                        "%(num)d openings are further away than you said you can travel.", count)
    if code == "language":
        return ngettext("%(num)d opening needs a language you did not tick.",
                        "%(num)d openings need a language you did not tick.", count)
    if code == "requirement":
        return ngettext("%(num)d opening needs a card or qualification you did not tick.",
                        "%(num)d openings need a card or qualification you did not tick.", count)
    return ngettext("%(num)d opening has times outside the week you wrote.",
                    "%(num)d openings have times outside the week you wrote.", count)


@dataclass(frozen=True)
class HidingAnswer:
    """One answer that alone hides openings: the words to show, where to change it, a few of them."""

    code: str
    count: int
    text: str
    step: int
    field: str
    examples: tuple[str, ...]  # opening refs


def hiding_answers(profile: YouthProfile, youth: Youth) -> list[HidingAnswer]:
    """The answers that alone hide at least as many openings as the youth is offered, most hidden first.

    Those are the answers worth a second look ("one tick hides almost everything"); an
    answer that hides a few of many is the youth's choice working as meant."""
    hidden = engine_matches.youth_matcher(profile).hidden(youth)
    out = [HidingAnswer(code, len(ids), answer_text(code, len(ids)), *ANSWER_OF[code], ids[:EXAMPLES])
           for code, ids in hidden.by_rule.items()
           if code in ANSWER_OF and len(ids) >= max(1, hidden.eligible)]
    return sorted(out, key=lambda a: -a.count)
