"""The words youths write for their week, misspelt ones too (issue 17, point 2)."""
from __future__ import annotations

import pytest

from matching.schedule import ScheduleError, Weekly

EVENINGS = "joka päivä klo 17–22"
WEEKENDS = "la ja su klo 8–22"
WEEKDAY_EVENINGS = "ma–pe klo 17–22"
WEEKDAYS = "ma–pe klo 8–22"


@pytest.mark.parametrize(("text", "week"), [
    ("iltasin", EVENINGS), ("iltaisin", EVENINGS), ("kvällar", EVENINGS), ("evenings", EVENINGS),
    ("viikonloppuisin", WEEKENDS), ("viikonloppusin", WEEKENDS), ("helger", WEEKENDS), ("weekends", WEEKENDS),
    ("vardagar", WEEKDAYS), ("arkisin", WEEKDAYS),
    ("arki-illat", WEEKDAY_EVENINGS), ("arki-iltaisin", WEEKDAY_EVENINGS), ("vardagskvällar", WEEKDAY_EVENINGS),
    ("weekday evenings", WEEKDAY_EVENINGS),
    ("aamupäivisin", "joka päivä klo 8–12"), ("arkisin aamupäivisin", "ma–pe klo 8–12"),
    ("iltasin ja viikonloppusin", "ma–pe klo 17–22, la ja su klo 8–22"),
    ("kvällar och helger", "ma–pe klo 17–22, la ja su klo 8–22"),
    ("arki-illat ja viikonloppuisin", "ma–pe klo 17–22, la ja su klo 8–22"),
])
def test_the_words_youths_write_are_read(text: str, week: str) -> None:
    assert Weekly.parse(text).describe("fi") == week


def test_an_error_names_the_words_it_could_not_read_apart_from_its_english_message() -> None:
    with pytest.raises(ScheduleError) as caught:
        Weekly.parse("iltaisin ja blaablaa")
    assert caught.value.part == "blaablaa" and caught.value.why == "unknown word"
