from __future__ import annotations

import pytest

from webapp import ytunnus
from webapp.models import Association


@pytest.mark.parametrize("value", [
    "0737546-2",   # 11 - remainder 9
    "1000002-0",   # remainder 0 gives 0
    "1572860-0",
    " 0737546-2 ",  # surrounding spaces are dropped
])
def test_valid(value):
    assert ytunnus.is_valid(value)
    assert ytunnus.validate(value) == value.strip()


@pytest.mark.parametrize("value, message", [
    ("0737546-3", "wrong check digit: expected 0737546-2"),
    ("1000002-1", "wrong check digit"),
    ("1000008-0", "no check digit exists"),  # remainder 1: never issued
    ("1000008-10", "looks like 1234567-8"),
    ("0737546 2", "looks like 1234567-8"),
    ("07375462", "looks like 1234567-8"),
    ("737546-2", "looks like 1234567-8"),
    ("07375466-2", "looks like 1234567-8"),
    ("O737546-2", "looks like 1234567-8"),
    ("０７３７５４６-２", "looks like 1234567-8"),  # full-width digits
    ("", "looks like 1234567-8"),
])
def test_invalid(value, message):
    assert not ytunnus.is_valid(value)
    with pytest.raises(ytunnus.BusinessIdError, match=message):
        ytunnus.validate(value)


def test_check_digit_follows_the_weights():
    assert ytunnus.WEIGHTS == (7, 9, 10, 5, 8, 4, 2)
    assert ytunnus.check_digit("0737546") == 2
    assert ytunnus.check_digit("1000002") == 0
    assert ytunnus.check_digit("1000008") is None
    with pytest.raises(ytunnus.BusinessIdError):
        ytunnus.check_digit("123")


def test_make_skips_numbers_without_a_check_digit():
    assert ytunnus.make(1000008) == "1000009-8"
    assert all(ytunnus.is_valid(ytunnus.make(n)) for n in range(1000000, 1000200))


def test_the_association_model_refuses_a_bad_business_id():
    assert Association(name="Hyvä ry", business_id="0737546-2").business_id == "0737546-2"
    assert Association(name="Ei tunnusta ry").business_id is None
    for bad in ("0737546-3", " 0737546-2", ""):
        with pytest.raises(ytunnus.BusinessIdError):
            Association(name="Huono ry", business_id=bad)


def test_the_module_examples_hold():
    import doctest
    assert doctest.testmod(ytunnus).failed == 0
