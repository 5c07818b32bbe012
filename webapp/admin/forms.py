"""Forms of the administrator's pages; every form carries a CSRF token."""
from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length

from ..auth.forms import email_field
from ..services.accounts import regions


class InviteForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(_l("Enter the person's name.")),
                                                Length(max=200, message=_l("Write at most %(max)d characters."))])
    email = email_field()
    region = SelectField(_l("Region"), validate_choice=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.region.choices = [("", "")] + [(r, r) for r in regions()]


class RegionForm(FlaskForm):
    region = SelectField(_l("Region"), validate_choice=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.region.choices = [(r, r) for r in regions()]


class FindForm(FlaskForm):
    """Looking up an account by its e-mail address (posted: an address never goes into a URL)."""

    email = email_field()
