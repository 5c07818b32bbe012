"""Flask-WTF forms of the youth pages; every form carries a CSRF token.

Numbers and places are read by our own validators (not WTForms' number fields), so
every message is ours and translated. Choices are labelled per request, in the
reader's language, by `label_choices()`. The profile's fields come in groups, one per
step of the step-by-step profile (`STEPS`); "Edit profile" (`ProfileForm`) has them all.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, RadioField, StringField, TextAreaField
from wtforms.validators import Length

from matching import texts, themes
from matching.model import Benefit, Kind, Requirement, Support

from ..forms import (CheckboxesField, MunicipalityText, WholeNumberText, valid_municipality,
                     readable_week, valid_youth_age, whole_number)
from ..models import SHAREABLE_FIELDS, YouthProfile

INTERESTS_MAX_LENGTH = 2000
AVAILABILITY_MAX_LENGTH = 500
TRAVEL_RANGE = (0, 1000)
REMOTE_CHOICES = ("", "yes", "no")
NAME_MAX_LENGTH = 200  # User.name


def valid_travel(form: FlaskForm, field: WholeNumberText) -> None:
    whole_number(field, *TRAVEL_RANGE)


# ---------------------------------------------------------------- the profile's fields, in groups
#
# Each group is one step of the step-by-step profile; `ProfileForm` ("Edit profile") is all
# of them. A group's fields are defined once, here, and each knows how to read itself from
# the profile (`fill`) and write itself back (`save`), so the two pages cannot drift apart.

def _shared_field_labels() -> dict[str, Any]:
    return {
        "age": _l("Your age"), "interests": _l("What you wrote about your interests"), "themes": _l("Themes"),
        "municipality": _l("Home municipality"), "languages": _l("Languages you speak"),
        "kinds": _l("Kinds of activity you would like"), "qualifications": _l("Qualifications and cards"),
        "needs": _l("Support you would like"), "goals": _l("What you would like to get out of it"),
        "availability": _l("When you are free"), "email": _l("Your e-mail address, so they can contact you"),
    }


def _choices(lang: str) -> dict[str, list[tuple[str, Any]]]:
    """The options of every closed-vocabulary field, labelled in `lang`."""
    def by_label(pairs: Any) -> list[tuple[str, Any]]:
        return sorted(pairs, key=lambda c: str(c[1]).lower())
    return {
        "themes": by_label((t.id, t.label(lang)) for t in themes.THEMES.values()),
        "languages": by_label((code, texts.language_name(code, lang)) for code in texts.LANGUAGE_NAMES),
        "kinds": [(k.value, texts.label(k.value, lang)) for k in Kind],
        "qualifications": [(r.value, texts.label(r.value, lang)) for r in Requirement],
        "needs": [(s.value, texts.label(s.value, lang)) for s in Support],
        "goals": [(b.value, texts.label(b.value, lang)) for b in Benefit],
        "remote_ok": [("", _l("No answer")), ("yes", _l("Yes, remote is fine")),
                      ("no", _l("No, I want to meet people"))],
        "shared_fields": [(name, _shared_field_labels()[name]) for name in SHAREABLE_FIELDS],
    }


def _number_text(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def _unique(values: Any) -> list[str]:
    return list(dict.fromkeys(values or ()))


def _save_municipality(profile: YouthProfile, field: MunicipalityText) -> None:
    if field.name_fi != profile.municipality:
        profile.lat = profile.lon = None  # the point was the old place's
    profile.municipality = field.name_fi


def _save_name(profile: YouthProfile, field: Field) -> None:
    profile.user.name = (field.data or "").strip()


# name -> (the form's value from the profile, write the validated field to the profile); a writer
# takes the field of its name (a `MunicipalityText`, a `WholeNumberText`, ...): typed Any here
_FIELD_IO: dict[str, tuple[Callable[[YouthProfile], Any], Callable[[YouthProfile, Any], None]]] = {
    "interests": (lambda p: p.interests, lambda p, f: setattr(p, "interests", (f.data or "").strip())),
    **{name: (lambda p, name=name: list(getattr(p, name)),  # type: ignore[misc]  # a default argument binds the name: more parameters than the Callable type
              lambda p, f, name=name: setattr(p, name, _unique(f.data)))  # type: ignore[misc]  # a default argument binds the name: more parameters than the Callable type
       for name in ("themes", "languages", "kinds", "qualifications", "needs", "goals")},
    "municipality": (lambda p: p.municipality or "", _save_municipality),
    "max_travel_km": (lambda p: _number_text(p.max_travel_km), lambda p, f: setattr(p, "max_travel_km", f.number)),
    "remote_ok": (lambda p: {None: "", True: "yes", False: "no"}[p.remote_ok],
                  lambda p, f: setattr(p, "remote_ok", {"": None, "yes": True, "no": False}[f.data or ""])),
    "availability": (lambda p: "\n".join(p.availability),
                     lambda p, f: setattr(p, "availability", getattr(f, "readable", None) or [])),
    "age": (lambda p: _number_text(p.age), lambda p, f: setattr(p, "age", f.number)),
    "name": (lambda p: p.user.name, _save_name),
    "shared_fields": (lambda p: list(p.shared_fields),  # kept in SHAREABLE_FIELDS' order
                      lambda p, f: setattr(p, "shared_fields", [n for n in SHAREABLE_FIELDS if n in (f.data or ())])),
}


class ProfileFields(FlaskForm):
    """Some of the profile's fields: label the options, fill from a profile, save to it."""

    def label_choices(self, lang: str) -> None:
        """Label the checkboxes and options in `lang` (fi, sv or en)."""
        for name, choices in _choices(lang).items():
            if name in self:
                self[name].choices = choices

    def profile_fields(self) -> list[Field]:
        """The fields that belong to the profile (not the CSRF token), in the order defined."""
        return [field for field in self if field.name in _FIELD_IO]

    def fill(self, profile: YouthProfile) -> None:
        for field in self.profile_fields():
            field.data = _FIELD_IO[field.name][0](profile)

    def notes(self) -> list[str]:
        """What a valid form could not take in full (times it could not read): said beside the fields."""
        return [note for field in self.profile_fields() for note in getattr(field, "notes", ())]

    def save(self, profile: YouthProfile) -> None:
        """Write the (validated) fields to `profile`; the caller commits."""
        for field in self.profile_fields():
            _FIELD_IO[field.name][1](profile, field)


class InterestsFields(ProfileFields):
    interests = TextAreaField(_l("What are you interested in? In your own words"), validators=[
        Length(max=INTERESTS_MAX_LENGTH, message=_l("Write at most %(max)d characters.")),
    ], render_kw={"rows": 4})
    themes = CheckboxesField(_l("Themes"), choices=[])


class PlaceFields(ProfileFields):
    municipality = MunicipalityText(_l("Home municipality"), validators=[valid_municipality],
                                    render_kw={"autocomplete": "address-level2"})
    max_travel_km = WholeNumberText(_l("How far can you travel (km)?"), validators=[valid_travel],
                                    render_kw={"inputmode": "numeric"})
    remote_ok = RadioField(_l("Remote activities (from home)"), choices=[], default="")


class WeekFields(ProfileFields):
    availability = TextAreaField(_l("When are you free during the week?"), validators=[
        Length(max=AVAILABILITY_MAX_LENGTH, message=_l("Write at most %(max)d characters.")), readable_week,
    ], render_kw={"rows": 2})


class MoreFields(ProfileFields):
    languages = CheckboxesField(_l("Languages you speak"), choices=[])
    kinds = CheckboxesField(_l("Kinds of activity you would like"), choices=[])
    qualifications = CheckboxesField(_l("Qualifications and cards you have"), choices=[])
    needs = CheckboxesField(_l("Support you would like"), choices=[])
    goals = CheckboxesField(_l("What you would like to get out of it"), choices=[])


class SharingFields(ProfileFields):
    name = StringField(_l("Your name"), validators=[
        Length(max=NAME_MAX_LENGTH, message=_l("Write at most %(max)d characters.")),
    ], render_kw={"autocomplete": "name"})
    shared_fields = CheckboxesField(_l("What associations may see"), choices=[])
    age = WholeNumberText(_l("Age"), validators=[valid_youth_age], render_kw={"inputmode": "numeric"})


class ProfileForm(InterestsFields, PlaceFields, WeekFields, MoreFields, SharingFields):
    """Every field of the profile on one page ("Edit profile")."""


@dataclass(frozen=True)
class Step:
    """One short page of the step-by-step profile."""

    slug: str
    title: Any  # a lazy string
    form: type[ProfileFields]


STEPS = (
    Step("interests", _l("Your interests"), InterestsFields),
    Step("place", _l("Place and travel"), PlaceFields),
    Step("week", _l("Your week"), WeekFields),
    Step("more", _l("Languages, activities and support"), MoreFields),
    Step("sharing", _l("What associations may see"), SharingFields),
)


class InterestForm(FlaskForm):
    """Express interest, with an optional note; the note's rules live in `services.clean_note`."""

    message = TextAreaField(_l("A note to the association (optional)"))


