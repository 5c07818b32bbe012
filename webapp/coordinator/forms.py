"""Forms of the outcome pages.

Next steps and self-assessments are read by `services.outcomes` (one place for their rules);
their forms here carry only the CSRF token. The dashboard's period filter is a GET form
(it changes nothing, so it has no token) whose months are validated here.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, SelectField, StringField
from wtforms.validators import ValidationError

MONTH = re.compile(r"(\d{4})-(\d{1,2})")
MAX_MONTHS = 60  # five years of months on one page

if TYPE_CHECKING:
    # A month's text field as the type checker sees it: `valid_month` leaves the month it read on
    # the field (as in `webapp.forms`). At run time the name is StringField itself.
    class MonthText(StringField):
        month: dt.date | None
else:
    MonthText = StringField


def month_of(text: str | None) -> dt.date | None:
    """The first day of the month written "2026-03", or None if it is not one."""
    found = MONTH.fullmatch((text or "").strip())
    if found is None or not 1 <= int(found.group(2)) <= 12 or int(found.group(1)) < 2000:
        return None
    return dt.date(int(found.group(1)), int(found.group(2)), 1)


def valid_month(form: FlaskForm, field: MonthText) -> None:
    field.month = month_of(field.data)
    if field.month is None:
        raise ValidationError(_l("Write a month as year and month, for example 2026-03."))


def _months_between(first: dt.date, last: dt.date) -> int:
    return (last.year - first.year) * 12 + last.month - first.month


class PeriodForm(FlaskForm):
    """Which months the dashboard covers and whether it shows them by month or by quarter."""

    class Meta:
        csrf = False  # a GET form that only reads

    start = MonthText(_l("From month"), validators=[valid_month], render_kw={"inputmode": "numeric"})
    end = MonthText(_l("To month"), validators=[valid_month], render_kw={"inputmode": "numeric"})
    by = SelectField(_l("Show by"), default="quarter", validate_choice=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.by.choices = [("quarter", _l("Quarter")), ("month", _l("Month"))]  # set here: WTForms warns in the field

    def validate_end(self, field: MonthText) -> None:
        first = getattr(self.start, "month", None)
        if first is None or field.month is None:
            return
        if field.month < first:
            raise ValidationError(_l("The last month cannot be before the first."))
        if _months_between(first, field.month) >= MAX_MONTHS:
            raise ValidationError(_l("Choose at most %(max)d months.", max=MAX_MONTHS))

    def validate_by(self, field: Field) -> None:
        if field.data not in ("quarter", "month"):
            raise ValidationError(_l("Choose only from the options shown."))

    def query(self) -> dict[str, Any]:
        """The filter as URL parameters, for the chart and CSV links."""
        return {"start": self.start.data, "end": self.end.data, "by": self.by.data}
