"""Flask-WTF forms of the youth pages; every form carries a CSRF token.

Numbers and places are read by our own validators (not WTForms' number fields), so
every message is ours and translated. Choices are labelled per request, in the
reader's language, by `ProfileForm.label_choices()`.
"""
from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, RadioField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import Length, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from matching import geo, texts, themes
from matching.model import Benefit, Kind, Support
from matching.schedule import ScheduleError, Weekly

INTERESTS_MAX_LENGTH = 2000
AVAILABILITY_MAX_LENGTH = 500
AGE_RANGE = (10, 120)
TRAVEL_RANGE = (0, 1000)
REMOTE_CHOICES = ("", "yes", "no")


class CheckboxesField(SelectMultipleField):
    """Several checkboxes in a list; an unknown value is refused with a message."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form: Any) -> None:
        known = {value for value, _label in self.choices or ()}
        if any(value not in known for value in self.data or ()):
            raise ValidationError(_l("Choose only from the options shown."))


def availability_lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _whole_number(field: Field, low: int, high: int) -> None:
    text = (field.data or "").strip()
    field.data = text
    if not text:
        field.number = None
        return
    try:
        value = int(text)
    except ValueError:
        raise ValidationError(_l("Write a whole number from %(low)d to %(high)d.", low=low, high=high)) from None
    if not low <= value <= high:
        raise ValidationError(_l("Write a whole number from %(low)d to %(high)d.", low=low, high=high))
    field.number = value


def valid_age(form: FlaskForm, field: Field) -> None:
    _whole_number(field, *AGE_RANGE)


def valid_travel(form: FlaskForm, field: Field) -> None:
    _whole_number(field, *TRAVEL_RANGE)


def valid_municipality(form: FlaskForm, field: Field) -> None:
    text = " ".join((field.data or "").split())
    field.data = text
    field.name_fi = None
    if not text:
        return
    try:
        field.name_fi = geo.municipality(text).name_fi
    except geo.UnknownPlace as e:
        if e.suggestions:
            raise ValidationError(_l("“%(value)s” is not a Finnish municipality. Did you mean %(names)s?",
                                     value=text, names=", ".join(e.suggestions))) from None
        raise ValidationError(_l("“%(value)s” is not a Finnish municipality.", value=text)) from None


def valid_availability(form: FlaskForm, field: Field) -> None:
    lines = availability_lines(field.data)
    if not lines:
        return
    try:
        Weekly.parse(lines)
    except ScheduleError as e:
        raise ValidationError(_l("We could not read these times: %(error)s", error=str(e))) from None


class ProfileForm(FlaskForm):
    interests = TextAreaField(_l("What are you interested in? In your own words"), validators=[
        Length(max=INTERESTS_MAX_LENGTH, message=_l("Write at most %(max)d characters.")),
    ], render_kw={"rows": 4})
    themes = CheckboxesField(_l("Themes"), choices=[])
    municipality = StringField(_l("Home municipality"), validators=[valid_municipality],
                               render_kw={"autocomplete": "address-level2"})
    max_travel_km = StringField(_l("How far can you travel (km)?"), validators=[valid_travel],
                                render_kw={"inputmode": "numeric"})
    remote_ok = RadioField(_l("Remote activities (from home)"), choices=[], default="")
    availability = TextAreaField(_l("When are you free during the week?"), validators=[
        Length(max=AVAILABILITY_MAX_LENGTH, message=_l("Write at most %(max)d characters.")), valid_availability,
    ], render_kw={"rows": 2})
    languages = CheckboxesField(_l("Languages you speak"), choices=[])
    kinds = CheckboxesField(_l("Kinds of activity you would like"), choices=[])
    needs = CheckboxesField(_l("Support you would like"), choices=[])
    goals = CheckboxesField(_l("What you would like to get out of it"), choices=[])
    age = StringField(_l("Age"), validators=[valid_age], render_kw={"inputmode": "numeric"})

    def label_choices(self, lang: str) -> None:
        """Label the checkboxes and options in `lang` (fi, sv or en)."""
        self.themes.choices = sorted(((t.id, t.label(lang)) for t in themes.THEMES.values()),
                                     key=lambda c: c[1].lower())
        self.languages.choices = sorted(((code, texts.language_name(code, lang)) for code in texts.LANGUAGE_NAMES),
                                        key=lambda c: c[1].lower())
        self.kinds.choices = [(k.value, texts.label(k.value, lang)) for k in Kind]
        self.needs.choices = [(s.value, texts.label(s.value, lang)) for s in Support]
        self.goals.choices = [(b.value, texts.label(b.value, lang)) for b in Benefit]
        self.remote_ok.choices = [("", _l("No answer")), ("yes", _l("Yes, remote is fine")),
                                  ("no", _l("No, I want to meet people"))]


class ActionForm(FlaskForm):
    """Only the CSRF token: express interest, withdraw."""
