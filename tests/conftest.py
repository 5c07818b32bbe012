"""The helpers in tests/support assert like test modules do: pytest rewrites their asserts to show the values."""
from __future__ import annotations

import pytest

pytest.register_assert_rewrite("tests.support")
