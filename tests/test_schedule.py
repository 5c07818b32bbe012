"""Weekly availability: parsing fi/sv/en text, describing masks, vectorised overlap."""
from __future__ import annotations

from collections.abc import Iterable
from functools import reduce

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matching.schedule import (
    FULL,
    SLOTS,
    WORDS,
    ScheduleError,
    Weekly,
    overlap_slots,
    pack,
    slot_counts,
)

MON, TUE, WED, THU, FRI, SAT, SUN = range(7)
WEEKDAYS = range(5)
WEEKEND = (SAT, SUN)
EVERY_DAY = range(7)

# Hypothesis must not write a .hypothesis/ database into the shared tree.
quick = settings(database=None, max_examples=150, deadline=None)


def slots(days: int | Iterable[int], start_h: float, end_h: float) -> int:
    """Mask of the half hours from start_h to end_h (same day) on each of `days`."""
    days = [days] if isinstance(days, int) else days
    mask = 0
    for day in days:
        for slot in range(round(start_h * 2), round(end_h * 2)):
            mask |= 1 << (day * 48 + slot)
    return mask


CASES = [
    # --- Finnish
    ("ma-pe 12-20", slots(WEEKDAYS, 12, 20)),
    ("ma–pe klo 12–20, la klo 10–14", slots(WEEKDAYS, 12, 20) | slots(SAT, 10, 14)),
    ("ti ja to klo 17.30-20", slots((TUE, THU), 17.5, 20)),
    ("ti ja to iltaisin", slots((TUE, THU), 17, 22)),
    ("lauantaisin ja sunnuntaisin klo 10-16", slots(WEEKEND, 10, 16)),
    ("viikonloppuisin", slots(WEEKEND, 8, 22)),
    ("iltaisin", slots(EVERY_DAY, 17, 22)),
    ("ma 9-12, 14-16", slots(MON, 9, 12) | slots(MON, 14, 16)),
    ("Maanantaisin kello 9.00—11.00", slots(MON, 9, 11)),
    ("keskiviikkoisin aamupäivisin", slots(WED, 8, 12)),
    ("arkisin klo 16 jälkeen", slots(WEEKDAYS, 16, 22)),
    ("klo 16 alkaen", slots(EVERY_DAY, 16, 22)),
    ("ennen 12", slots(EVERY_DAY, 8, 12)),
    ("pe-ma 18-21", slots((FRI, SAT, SUN, MON), 18, 21)),
    ("joka päivä klo 7-9", slots(EVERY_DAY, 7, 9)),
    ("päivittäin iltapäivisin", slots(EVERY_DAY, 12, 17)),
    ("ke, pe sekä su päivisin", slots((WED, FRI, SUN), 8, 17)),
    ("ma. ja ke. klo 17:30–19", slots((MON, WED), 17.5, 19)),
    ("torstaina 14-16", slots(THU, 14, 16)),
    ("vkl 10-14", slots(WEEKEND, 10, 14)),
    ("arkipäivisin ilta-aikaan", slots(WEEKDAYS, 17, 22)),
    ("tiistait", slots(TUE, 8, 22)),
    ("ma-to 9-15; pe 9-13", slots(range(4), 9, 15) | slots(FRI, 9, 13)),
    ("ma 9-12\nke 13-15", slots(MON, 9, 12) | slots(WED, 13, 15)),
    ("iltaisin ja viikonloppuisin", slots(EVERY_DAY, 17, 22) | slots(WEEKEND, 8, 22)),
    ("klo 10-14 lauantaisin ja sunnuntaisin", slots(WEEKEND, 10, 14)),
    ("iltaisin klo 18-21", slots(EVERY_DAY, 18, 21)),
    ("ma-pe: 8-16", slots(WEEKDAYS, 8, 16)),
    ("ma to pe 9-10", slots((MON, THU, FRI), 9, 10)),
    ("ip ja ap", slots(EVERY_DAY, 8, 17)),
    # --- Swedish
    ("mån-fre 12-20", slots(WEEKDAYS, 12, 20)),
    ("tis och tor kl. 17.30–20", slots((TUE, THU), 17.5, 20)),
    ("måndagar och onsdagar kl 18-20", slots((MON, WED), 18, 20)),
    ("på kvällarna", slots(EVERY_DAY, 17, 22)),
    ("helger", slots(WEEKEND, 8, 22)),
    ("vardagar efter 17", slots(WEEKDAYS, 17, 22)),
    ("före 12", slots(EVERY_DAY, 8, 12)),
    ("från kl. 16", slots(EVERY_DAY, 16, 22)),
    ("lördagar 10-14, söndagar 12-16", slots(SAT, 10, 14) | slots(SUN, 12, 16)),
    ("vardagarna förmiddag", slots(WEEKDAYS, 8, 12)),
    ("tors eftermiddag", slots(THU, 12, 17)),
    ("varje dag kl. 9-10", slots(EVERY_DAY, 9, 10)),
    ("dagtid på helgerna", slots(WEEKEND, 8, 17)),
    ("mån till fre kl 8-16", slots(WEEKDAYS, 8, 16)),
    ("onsdagen samt fredagen kvällstid", slots((WED, FRI), 17, 22)),
    # --- English
    ("Sat 10:00-14:00", slots(SAT, 10, 14)),
    ("Mon-Fri 5pm-8pm", slots(WEEKDAYS, 17, 20)),
    ("weekends", slots(WEEKEND, 8, 22)),
    ("weekday evenings", slots(WEEKDAYS, 17, 22)),
    ("evenings", slots(EVERY_DAY, 17, 22)),
    ("Tuesdays and Thursdays 5:30pm-8pm", slots((TUE, THU), 17.5, 20)),
    ("Mon to Fri 9am to 5pm", slots(WEEKDAYS, 9, 17)),
    ("weekends after 10", slots(WEEKEND, 10, 22)),
    ("mornings before 10", slots(EVERY_DAY, 8, 10)),
    ("daily 7-9am", slots(EVERY_DAY, 7, 9)),
    ("Wed 12am-6am", slots(WED, 0, 6)),
    ("every day 17:00–22:00", slots(EVERY_DAY, 17, 22)),
    ("during the day on weekdays", slots(WEEKDAYS, 8, 17)),
    ("from Monday to Wednesday at 10-12", slots((MON, TUE, WED), 10, 12)),
    ("afternoons & Saturdays", slots(EVERY_DAY, 12, 17) | slots(SAT, 8, 22)),
    ("thurs. 18-20", slots(THU, 18, 20)),
    ("Mon/Wed/Fri 6 pm - 9 pm", slots((MON, WED, FRI), 18, 21)),
    ("Mon + Tue 9-10", slots((MON, TUE), 9, 10)),
    ("5-8pm", slots(EVERY_DAY, 17, 20)),
    ("Sat 10-2pm", slots(SAT, 10, 14)),
    ("0-24", FULL),
    ("Sat 22-24", slots(SAT, 22, 24)),
    ("Sat 8pm-12am", slots(SAT, 20, 24)),
    ("WEEKENDS 10 O'CLOCK TO 2PM", slots(WEEKEND, 10, 14)),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_parse_table(text: str, expected: int) -> None:
    parsed = Weekly.parse(text)
    assert parsed.mask == expected, parsed.describe("en")
    assert not parsed.flexible
    assert parsed.text == text


def test_table_is_big_enough() -> None:
    assert len(CASES) >= 40


@pytest.mark.parametrize(("text", "expected"), [
    ("su 22-02", slots(SUN, 22, 24) | slots(MON, 0, 2)),
    ("fredagen kl. 22-02", slots(FRI, 22, 24) | slots(SAT, 0, 2)),
    ("Sun 10pm-2am", slots(SUN, 22, 24) | slots(MON, 0, 2)),
    ("la 23.30-0.30", slots(SAT, 23.5, 24) | slots(SUN, 0, 0.5)),
    ("22-6", slots(EVERY_DAY, 22, 24) | slots(EVERY_DAY, 0, 6)),
])
def test_ranges_crossing_midnight_continue_next_day(text: str, expected: int) -> None:
    assert Weekly.parse(text).mask == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Fri 9:15-10:45", slots(FRI, 9, 11)),
    ("to 17.10-17.20", slots(THU, 17, 17.5)),
    ("ma 8.01-8.29", slots(MON, 8, 8.5)),
    ("ke 17.30-17.31", slots(WED, 17.5, 18)),
])
def test_start_rounds_down_end_rounds_up(text: str, expected: int) -> None:
    assert Weekly.parse(text).mask == expected


@pytest.mark.parametrize("text", [
    "joustava", "joustavasti", "sopimuksen mukaan", "sovittaessa", "Flexibel", "flexibelt",
    "enligt överenskommelse", "flexible", "by agreement", "any time", "anytime",
    "ma-pe 9-12; joustava", "viikonloppuisin tai sopimuksen mukaan",
])
def test_flexible_words(text: str) -> None:
    parsed = Weekly.parse(text)
    assert parsed.flexible and parsed.mask == FULL
    assert parsed == Weekly.flexible_week()


@pytest.mark.parametrize(("text", "culprit"), [
    ("tiistaina aamulla kuuteen", "kuuteen"),
    ("", ""),
    ("   ", "   "),
    ("ma 17-17", "17-17"),
    ("Sat 10:00-10:00", "10:00-10:00"),
    ("25-26", "25"),
    ("ma 17.75-18", "17.75"),
    ("ma 17.5-18", "17.5"),
    ("24-2", "24"),
    ("13pm-14pm", "13pm"),
    ("ma 17", "17"),
    ("ma-", "-"),
    ("klo", "klo"),
    ("paitsi maanantai", "paitsi"),
    ("Mon 9-17 except Fri", "except"),
    ("days", "days"),
    ("after", "after"),
    ("måndag 9-12 ?", "?"),
    ("ma-pe 9-12 (kesällä)", "kesällä"),
])
def test_errors_quote_the_culprit_and_show_examples(text: str, culprit: str) -> None:
    with pytest.raises(ScheduleError) as caught:
        Weekly.parse(text)
    message = str(caught.value)
    assert f"cannot read {culprit!r}" in message
    assert f"in availability {text!r}" in message
    assert "expected e.g. 'ma-pe 12-20'" in message


def test_schedule_error_is_a_value_error() -> None:
    with pytest.raises(ValueError):
        Weekly.parse("huomenna")
    with pytest.raises(ScheduleError):
        Weekly.parse([])


def test_list_of_texts_is_the_union() -> None:
    parsed = Weekly.parse(["ma 9-12", "tisdag 9-12", "weekends"])
    assert parsed.mask == slots((MON, TUE), 9, 12) | slots(WEEKEND, 8, 22)
    assert Weekly.parse(["ma 9-12", "joustava"]).flexible
    with pytest.raises(ScheduleError, match="'xyz'"):
        Weekly.parse(["ma 9-12", "xyz"])


def test_text_is_kept_but_not_compared() -> None:
    a, b = Weekly.parse("ma 9-12"), Weekly.parse("Mon 9:00-12:00")
    assert a == b and hash(a) == hash(b)
    assert (a.text, b.text) == ("ma 9-12", "Mon 9:00-12:00")


def test_invalid_masks_are_rejected() -> None:
    with pytest.raises(ValueError):
        Weekly(FULL + 1)
    with pytest.raises(ValueError):
        Weekly(-1)
    with pytest.raises(ValueError):
        Weekly(slots(MON, 9, 12), flexible=True)


def test_hours_words_and_flexible_week() -> None:
    week = Weekly.parse("ti ja to klo 17.30-20")
    assert week.hours == 5.0
    assert Weekly.flexible_week().hours == 7 * 24
    words = Weekly(1 | 1 << 64 | 1 << 335).words()
    assert words.shape == (WORDS,) and words.dtype == np.uint64
    assert words.tolist() == [1, 1, 0, 0, 0, 1 << 15]


DESCRIBED = [
    ("ti ja to klo 17.30-20",
     "ti ja to klo 17.30–20", "tis och tor kl. 17.30–20", "Tue and Thu 17:30–20:00"),
    ("ma-pe 12-20, la 10-14",
     "ma–pe klo 12–20, la klo 10–14", "mån–fre kl. 12–20, lör kl. 10–14",
     "Mon–Fri 12:00–20:00, Sat 10:00–14:00"),
    ("iltaisin", "joka päivä klo 17–22", "varje dag kl. 17–22", "every day 17:00–22:00"),
    ("weekends", "la ja su klo 8–22", "lör och sön kl. 8–22", "Sat and Sun 8:00–22:00"),
    ("ma, ke, pe 9-12, 14-16",
     "ma, ke ja pe klo 9–12 ja 14–16", "mån, ons och fre kl. 9–12 och 14–16",
     "Mon, Wed and Fri 9:00–12:00 and 14:00–16:00"),
    ("pe-ma 18-21",
     "ma ja pe–su klo 18–21", "mån och fre–sön kl. 18–21", "Mon and Fri–Sun 18:00–21:00"),
    ("su 22-02", "ma klo 0–2, su klo 22–24", "mån kl. 0–2, sön kl. 22–24",
     "Mon 0:00–2:00, Sun 22:00–24:00"),
    ("joustava", "joustavasti", "flexibelt", "any time"),
]


@pytest.mark.parametrize(("text", "fi", "sv", "en"), DESCRIBED, ids=[d[0] for d in DESCRIBED])
def test_describe(text: str, fi: str, sv: str, en: str) -> None:
    week = Weekly.parse(text)
    assert (week.describe("fi"), week.describe("sv"), week.describe("en")) == (fi, sv, en)


def test_describe_empty_and_unknown_language() -> None:
    nothing = Weekly.parse("ma 9-12") & Weekly.parse("ti 9-12")
    assert nothing.mask == 0
    assert [nothing.describe(lang) for lang in ("fi", "sv", "en")] == [
        "ei yhteisiä aikoja", "inga gemensamma tider", "no common times"]
    with pytest.raises(ValueError, match="unknown language"):
        nothing.describe("de")


def test_union_and_intersection_flexibility() -> None:
    flexible, evenings = Weekly.flexible_week(), Weekly.parse("evenings")
    assert (flexible & evenings) == evenings and not (flexible & evenings).flexible
    assert (flexible | evenings).flexible
    assert (flexible & flexible).flexible


# --- properties -----------------------------------------------------------------------

day_sets = st.frozensets(st.integers(0, 6), min_size=1)
hour_ranges = st.tuples(st.integers(0, 23), st.integers(1, 24)).filter(lambda r: r[0] < r[1])
range_masks = st.lists(st.tuples(day_sets, hour_ranges), min_size=1, max_size=4).map(
    lambda parts: reduce(int.__or__, (slots(days, s, e) for days, (s, e) in parts)))
masks = st.integers(0, FULL)
weeklies = st.one_of(masks.map(Weekly), st.just(Weekly.flexible_week()))


@quick
@given(range_masks, st.sampled_from(["fi", "sv", "en"]))
def test_describe_parses_back_for_hour_ranges(mask: int, lang: str) -> None:
    text = Weekly(mask).describe(lang)
    assert Weekly.parse(text).mask == mask, text


@quick
@given(st.integers(1, FULL), st.sampled_from(["fi", "sv", "en"]))
def test_describe_parses_back_for_any_mask(mask: int, lang: str) -> None:
    text = Weekly(mask).describe(lang)
    assert Weekly.parse(text).mask == mask, text


@quick
@given(st.lists(masks, max_size=20), masks)
def test_vectorised_overlap_matches_popcount(rows: list[int], query: int) -> None:
    packed = pack([Weekly(m) for m in rows])
    assert packed.shape == (len(rows), WORDS) and packed.dtype == np.uint64
    counts = overlap_slots(packed, Weekly(query).words())
    assert counts.tolist() == [(m & query).bit_count() for m in rows]
    assert counts.tolist() == [Weekly(m).overlap_slots(Weekly(query)) for m in rows]
    assert slot_counts(packed).tolist() == [m.bit_count() for m in rows]


@quick
@given(masks)
def test_words_are_little_endian(mask: int) -> None:
    words = Weekly(mask).words()
    assert sum(int(w) << (64 * i) for i, w in enumerate(words)) == mask
    assert Weekly(mask).hours == mask.bit_count() / 2 <= SLOTS / 2


@quick
@given(weeklies, weeklies, weeklies)
def test_union_intersection_laws(a: Weekly, b: Weekly, c: Weekly) -> None:
    assert a | b == b | a and a & b == b & a
    assert (a | b) | c == a | (b | c) and (a & b) & c == a & (b & c)
    assert a & (b | c) == (a & b) | (a & c)
    assert a | (a & b) == a and a & (a | b) == a
    assert a | a == a and a & a == a
    assert (a | b).flexible == (a.flexible or b.flexible)
    assert (a & b).flexible == (a.flexible and b.flexible)
    assert (a | b).hours + (a & b).hours == a.hours + b.hours
    assert a.overlap_slots(b) == (a & b).mask.bit_count()


SOUP = ["ma", "to", "pe", "su", "tiistaisin", "mån", "tor", "lördagar", "Mon", "Thu", "sundays",
        "iltaisin", "kväll", "mornings", "viikonloppuisin", "vardagar", "every day", "joustava",
        "klo", "kl.", "at", "after", "före", "alkaen", "asti", "till", "ja", "och", "and", ",",
        ";", "\n", "-", "–", "17", "17.30", "9:00", "5pm", "12am", "24", "0", "25", "xyz", "("]


@quick
@given(st.lists(st.sampled_from(SOUP), max_size=8).map(" ".join))
def test_any_text_parses_or_raises_schedule_error(text: str) -> None:
    try:
        week = Weekly.parse(text)
    except ScheduleError:
        return
    if week.mask and not week.flexible:
        for lang in ("fi", "sv", "en"):
            assert Weekly.parse(week.describe(lang)) == week


def test_pack_empty() -> None:
    packed = pack([])
    assert packed.shape == (0, WORDS)
    assert overlap_slots(packed, Weekly(FULL).words()).shape == (0,)
