"""Flask-WTF forms of the association's pages; every form carries a CSRF token.

The opening form has a field for every field of the engine's opening record. Numbers,
dates, places and times are read by our own validators (as in `youth_forms`), so every
message is ours and translated; the engine then reads the result once more
(`openings_service.check`), so what the page accepts is what the engine accepts.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from flask_babel import gettext as _  # messages holding what was typed: a plain, escaped str
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, Field, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from matching import texts, themes
from matching.model import Benefit, Kind, Requirement, Support

from .. import ytunnus
from ..auth.forms import email_field, new_password_fields
from ..forms import (CheckboxesField, MunicipalityText, WholeNumberText, valid_municipality, valid_schedule,
                     whole_number)

NAME_MAX_LENGTH = 200
CONTACT_MAX_LENGTH = 300
DESCRIPTION_MAX_LENGTH = 5000
TITLE_MAX_LENGTH = 300
SCHEDULE_MAX_LENGTH = 500
AGE_RANGE = (0, 120)  # the engine's limits (matching.io)
CAPACITY_RANGE = (1, 1_000_000)
_BUSINESS_ID = re.compile(r"[0-9]{7}-[0-9]")

if TYPE_CHECKING:
    # Text fields whose validator leaves what it read on the field, as the type checker sees them
    # (as in `webapp.forms`); at run time each name is StringField itself.
    class DecimalText(StringField):
        number: float | None  # by `valid_lat`, `valid_lon`

    class DateText(StringField):
        date: dt.date | None  # by `valid_date`
else:
    DecimalText = DateText = StringField


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


# ---------------------------------------------------------------- fields and validators

class ChoiceField(SelectField):
    """A select whose refusal of an unknown value is our own, translated message."""

    choices: Sequence[tuple[Any, Any]] | None  # (value, label) pairs: set per request, in the reader's language

    def pre_validate(self, form: Any) -> None:
        if (self.data or "") not in {value for value, _label in self.choices or ()}:
            raise ValidationError(_l("Choose only from the options shown."))


def valid_business_id(form: FlaskForm, field: Field) -> None:
    """A Y-tunnus with a correct check digit (`webapp.ytunnus`), or nothing."""
    text = (field.data or "").strip()
    field.data = text or None
    if not text:
        return
    if not _BUSINESS_ID.fullmatch(text):
        raise ValidationError(_l("A Y-tunnus looks like %(example)s: seven digits, a hyphen and a check digit.",
                                 example=ytunnus.EXAMPLE))
    if not ytunnus.is_valid(text):
        raise ValidationError(_("“%(value)s” is not a valid Y-tunnus: its check digit does not match. "
                                "Check the number.", value=text))


def valid_age(form: FlaskForm, field: WholeNumberText) -> None:
    whole_number(field, *AGE_RANGE)


def valid_capacity(form: FlaskForm, field: WholeNumberText) -> None:
    whole_number(field, *CAPACITY_RANGE)


def _decimal(field: DecimalText, low: float, high: float) -> None:
    text = (field.data or "").strip().replace(",", ".")
    field.data = text
    field.number = None
    if not text:
        return
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not low <= value <= high:  # also false for nan
        raise ValidationError(_l("Write a decimal number from %(low)d to %(high)d, like 65.01.", low=low, high=high))
    field.number = value


def valid_lat(form: FlaskForm, field: DecimalText) -> None:
    _decimal(field, -90, 90)


def valid_lon(form: FlaskForm, field: DecimalText) -> None:
    _decimal(field, -180, 180)


def valid_date(form: FlaskForm, field: DateText) -> None:
    text = (field.data or "").strip()
    field.data = text
    field.date = None
    if not text:
        return
    try:
        field.date = dt.date.fromisoformat(text)
    except ValueError:
        raise ValidationError(_l("Write a date like 2026-06-01 (year-month-day).")) from None


# ---------------------------------------------------------------- the association

def _name_field() -> StringField:
    return StringField(_l("Name of the association"), filters=[_strip], validators=[
        DataRequired(_l("Enter the association's name.")),
        Length(max=NAME_MAX_LENGTH, message=_l("Write at most %(max)d characters.")),
    ], render_kw={"autocomplete": "organization"})


class AssociationPageForm(FlaskForm):
    """What the public page of an association shows."""

    name = _name_field()
    municipality = MunicipalityText(_l("Municipality"), validators=[
        DataRequired(_l("Enter the municipality where the association works.")), valid_municipality,
    ], render_kw={"autocomplete": "address-level2"})
    contact = StringField(_l("Contact details"), filters=[_strip], validators=[
        DataRequired(_l("Enter how young people and coordinators can reach you.")),
        Length(max=CONTACT_MAX_LENGTH, message=_l("Write at most %(max)d characters.")),
    ])
    description = TextAreaField(_l("About the association"), filters=[_strip], validators=[
        Length(max=DESCRIPTION_MAX_LENGTH, message=_l("Write at most %(max)d characters.")),
    ], render_kw={"rows": 5})


class RegisterForm(AssociationPageForm):
    """A new association and its first member's account, in one form."""

    business_id = StringField(_l("Business ID (Y-tunnus)"), validators=[valid_business_id],
                              render_kw={"inputmode": "numeric"})
    person_name = StringField(_l("Your name"), filters=[_strip], validators=[
        DataRequired(_l("Enter your name.")),
        Length(max=NAME_MAX_LENGTH, message=_l("Write at most %(max)d characters.")),
    ], render_kw={"autocomplete": "name"})
    email = email_field()
    password, confirm = new_password_fields()


# ---------------------------------------------------------------- openings

class OpeningForm(FlaskForm):
    """Every field of the engine's opening record; `label_choices` labels the options per request."""

    title = StringField(_l("Title"), filters=[_strip], validators=[
        DataRequired(_l("Give the opening a title.")),
        Length(max=TITLE_MAX_LENGTH, message=_l("Write at most %(max)d characters.")),
    ])
    description = TextAreaField(_l("Description"), filters=[_strip], validators=[
        Length(max=DESCRIPTION_MAX_LENGTH, message=_l("Write at most %(max)d characters.")),
    ], render_kw={"rows": 6})
    kind = ChoiceField(_l("Kind of activity"), choices=[], default="")
    themes = CheckboxesField(_l("Themes"), choices=[])
    municipality = MunicipalityText(_l("Municipality"), validators=[valid_municipality],
                                    render_kw={"autocomplete": "address-level2"})
    lat = DecimalText(_l("Latitude"), validators=[valid_lat], render_kw={"inputmode": "decimal"})
    lon = DecimalText(_l("Longitude"), validators=[valid_lon], render_kw={"inputmode": "decimal"})
    remote = BooleanField(_l("Remote: can be done from anywhere"))
    schedule = TextAreaField(_l("Times"), validators=[
        Length(max=SCHEDULE_MAX_LENGTH, message=_l("Write at most %(max)d characters.")), valid_schedule,
    ], render_kw={"rows": 2})
    start_date = DateText(_l("Starts on"), validators=[valid_date], render_kw={"type": "date"})
    end_date = DateText(_l("Ends on"), validators=[valid_date], render_kw={"type": "date"})
    capacity = WholeNumberText(_l("Number of places"), validators=[valid_capacity],
                               render_kw={"inputmode": "numeric"})
    min_age = WholeNumberText(_l("Youngest age"), validators=[valid_age], render_kw={"inputmode": "numeric"})
    max_age = WholeNumberText(_l("Oldest age"), validators=[valid_age], render_kw={"inputmode": "numeric"})
    languages = CheckboxesField(_l("Languages the work needs"), choices=[])
    requirements = CheckboxesField(_l("Requirements"), choices=[])
    support = CheckboxesField(_l("Support offered"), choices=[])
    benefits = CheckboxesField(_l("What the young person gets"), choices=[])

    def label_choices(self, lang: str) -> None:
        """Label the options in `lang` (fi, sv or en), from the engine's own vocabularies."""
        self.kind.choices = [("", _l("Not given"))] + [(k.value, texts.label(k.value, lang)) for k in Kind]
        self.themes.choices = sorted(((t.id, t.label(lang)) for t in themes.THEMES.values()),
                                     key=lambda c: c[1].lower())
        self.languages.choices = sorted(((code, texts.language_name(code, lang)) for code in texts.LANGUAGE_NAMES),
                                        key=lambda c: c[1].lower())
        self.requirements.choices = [(r.value, texts.label(r.value, lang)) for r in Requirement]
        self.support.choices = [(s.value, texts.label(s.value, lang)) for s in Support]
        self.benefits.choices = [(b.value, texts.label(b.value, lang)) for b in Benefit]

    def validate(self, extra_validators: Any = None) -> bool:
        """The fields, then the rules between them: both coordinates, dates and ages in order."""
        if not super().validate(extra_validators):
            return False
        ok = True
        if (self.lat.number is None) != (self.lon.number is None):
            missing = self.lon if self.lon.number is None else self.lat
            missing.errors.append(_l("Give both the latitude and the longitude, or neither."))  # type: ignore[attr-defined]  # validate() has made errors a list
            ok = False
        if self.start_date.date and self.end_date.date and self.end_date.date < self.start_date.date:
            self.end_date.errors.append(_l("The end date is before the start date."))  # type: ignore[attr-defined]  # validate() has made errors a list
            ok = False
        if self.min_age.number is not None and self.max_age.number is not None \
                and self.max_age.number < self.min_age.number:
            self.max_age.errors.append(_l("The oldest age is below the youngest age."))  # type: ignore[attr-defined]  # validate() has made errors a list
            ok = False
        return ok


class StatusForm(FlaskForm):
    """Only the CSRF token; the button pressed (publish, close, reopen) is the `action` in the URL."""
