"""What every audience's forms are made of: checkbox lists, whole numbers, municipalities, weekly
times, and the form of a button that carries only its CSRF token.

Numbers and places are read by these validators (not WTForms' number fields), so every
message is ours and translated. A validator that reads a value leaves what it read on the
field (`field.number`, `field.name_fi`), so a view never parses the text a second time.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from flask import flash
from flask_babel import gettext as _  # messages holding what was typed: a plain, escaped str
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from matching import geo
from matching.schedule import ScheduleError, Weekly

from .i18n import place_name

if TYPE_CHECKING:
    # The text fields whose validator leaves what it read on the field, as the type checker sees
    # them. At run time each name is StringField itself (below): no field class of its own.
    class WholeNumberText(StringField):
        number: int | None  # by `whole_number`

    class MunicipalityText(StringField):
        name_fi: str | None  # by `valid_municipality`
else:
    WholeNumberText = MunicipalityText = StringField


YOUTH_AGES = (15, 29)  # who Polku is for: the youth services' and the associations' young people


def valid_youth_age(form: FlaskForm, field: WholeNumberText) -> None:
    """An age from 15 to 29 (`field.number`); anyone else is told kindly where to turn instead."""
    text = (field.data or "").strip()
    field.data, field.number = text, None
    if not text:
        return
    if not (text.isascii() and text.isdigit() and len(text) <= 3):
        raise ValidationError(_l("Write your age as a whole number, for example 17."))
    field.number = age = int(text)
    youngest, oldest = YOUTH_AGES
    if age is not None and age < youngest:
        raise ValidationError(_l("Polku is for young people aged %(low)d to %(high)d. Your school's student "
                                 "counsellor or the youth workers of your municipality can tell you about "
                                 "activities for your age.", low=youngest, high=oldest))
    if age is not None and age > oldest:
        raise ValidationError(_l("Polku is for young people aged %(low)d to %(high)d. For work trials and "
                                 "volunteering at your age, ask the employment services (TE services) or "
                                 "your municipality's volunteer centre.", low=youngest, high=oldest))


class ActionForm(FlaskForm):
    """Only the CSRF token: the form of a button (interest, withdraw, accept, end, send, ...)."""


class MessageForm(FlaskForm):
    """A message in a conversation (youth and association alike); `services.messages.clean` checks it, so the
    pages and the API refuse the same things with the same words."""

    body = TextAreaField(_l("Your message"), render_kw={"rows": 4})


class CheckboxesField(SelectMultipleField):
    """Several checkboxes in a list; an unknown value is refused with a message."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()
    choices: Sequence[tuple[Any, Any]] | None  # (value, label) pairs: set per request, in the reader's language

    def pre_validate(self, form: Any) -> None:
        known = {value for value, _label in self.choices or ()}
        if any(value not in known for value in self.data or ()):
            raise ValidationError(_l("Choose only from the options shown."))


def schedule_lines(text: str | None) -> list[str]:
    """The non-empty lines of a weekly-times text box, one time slot each."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def whole_number(field: WholeNumberText, low: int, high: int) -> None:
    """Validates a whole number in [low, high] typed in a text field; the value goes to `field.number`."""
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


def valid_municipality(form: FlaskForm, field: MunicipalityText) -> None:
    """A Finnish municipality in Finnish or Swedish; its Finnish name goes to `field.name_fi`."""
    text = " ".join((field.data or "").split())
    field.data = text
    field.name_fi = None
    if not text:
        return
    try:
        found = geo.resolve(text)
    except geo.UnknownPlace as e:
        if e.suggestions:
            raise ValidationError(_("“%(value)s” is not a Finnish municipality. Did you mean %(names)s?",
                                    value=text, names=", ".join(e.suggestions))) from None
        raise ValidationError(_("“%(value)s” is not a Finnish municipality.", value=text)) from None
    field.name_fi = found.municipality.name_fi
    if found.former is not None:
        flash(former_place_note(found.former), "info")


def former_place_note(former: geo.FormerName) -> str:
    """Says that a former municipality or a district was read as today's municipality."""
    today = place_name(former.today)
    if former.kind == "merged" and former.year:
        return _("%(written)s has been part of %(today)s since %(year)d, so %(today)s is saved.",
                 written=former.name, today=today, year=former.year)
    return _("%(written)s is in %(today)s, so %(today)s is saved.", written=former.name, today=today)


SCHEDULE_EXAMPLES = _l("“Mon-Fri 16-20”, “Tue and Thu 17-20”, “evenings”, “weekends” or “any time”")


def schedule_problem(error: ScheduleError) -> str:
    """What could not be read in weekly times, in the reader's language, with examples (never the parser's English)."""
    part = error.part.strip() or "…"
    return _("We could not read “%(part)s”. Write it for example like this: %(examples)s.",
             part=part, examples=SCHEDULE_EXAMPLES)


def read_schedule_lines(text: str | None) -> tuple[list[str], list[str]]:
    """The lines of a weekly-times box the engine can read, and a message for each it cannot."""
    readable, problems = [], []
    for line in schedule_lines(text):
        try:
            Weekly.parse(line)
        except ScheduleError as e:
            problems.append(schedule_problem(e))
        else:
            readable.append(line)
    return readable, problems


def valid_schedule(form: FlaskForm, field: Field) -> None:
    """Weekly times the engine can read, every line (an opening's schedule): each line it cannot read is named."""
    problems = read_schedule_lines(field.data)[1]
    if problems:
        raise ValidationError(" ".join(problems))


def readable_week(form: FlaskForm, field: Field) -> None:
    """A youth's week: never refused. The lines the engine reads are kept (`field.readable`), and each
    one it cannot read becomes a note beside the field (`field.notes`), so the step saves what it can."""
    field.readable, field.notes = read_schedule_lines(field.data)  # type: ignore[attr-defined]  # left on the field, as `number` is
