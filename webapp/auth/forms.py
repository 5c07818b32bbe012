"""Flask-WTF forms of the auth blueprint; every form carries a CSRF token.

Messages are lazy (`lazy_gettext`): the forms are defined at import time, the
messages are translated per request into the visitor's language.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, Field, HiddenField, PasswordField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from ..forms import WholeNumberText, valid_youth_age
from ..models import EMAIL_MAX_LENGTH, EMAIL_SHAPE, normalise_email
from . import passwords

PASSWORD_MIN_LENGTH = passwords.MIN_LENGTH  # a new password: 12 to 128 characters (ASVS 2.1.1, 2.1.2)
PASSWORD_MAX_LENGTH = passwords.MAX_LENGTH
PASSWORD_CHECK_MAX_LENGTH = passwords.CHECK_MAX_LENGTH  # an existing password (sign-in, the current one)


def _strip_lower(value: str | None) -> str | None:
    return normalise_email(value) if isinstance(value, str) else value


def email_address(form: FlaskForm, field: Field) -> None:
    if field.data and not EMAIL_SHAPE.fullmatch(field.data):
        raise ValidationError(_l("Enter an e-mail address like name@example.fi."))


def email_field() -> EmailField:
    """An account's e-mail address: trimmed, lower-cased, checked for shape."""
    return EmailField(_l("E-mail address"), filters=[_strip_lower], validators=[
        DataRequired(_l("Enter your e-mail address.")),
        Length(max=EMAIL_MAX_LENGTH, message=_l("An e-mail address has at most %(max)d characters.")),
        email_address,
    ], render_kw={"autocomplete": "email"})


def new_password_fields() -> tuple[PasswordField, PasswordField]:
    """A new password and its confirmation (the form's fields must be named `password` and `confirm`)."""
    return (PasswordField(_l("Password"), validators=[
        DataRequired(_l("Choose a password.")),
        Length(min=PASSWORD_MIN_LENGTH, max=PASSWORD_MAX_LENGTH,
               message=_l("Choose a password of %(min)d to %(max)d characters.")),
    ], render_kw={"autocomplete": "new-password"}),
        PasswordField(_l("Password again"), validators=[
            DataRequired(_l("Type the password again.")),
            EqualTo("password", message=_l("The passwords differ; type the same password twice.")),
        ], render_kw={"autocomplete": "new-password"}))


class SignUpForm(FlaskForm):
    email = email_field()
    age = WholeNumberText(_l("Your age"), validators=[DataRequired(_l("Tell us your age.")), valid_youth_age],
                      render_kw={"inputmode": "numeric", "autocomplete": "off"})
    password, confirm = new_password_fields()
    consent = BooleanField(_l("I agree that Polku stores my data to find me activities."), validators=[
        DataRequired(_l("You can sign up only if you agree to this.")),
    ])


class PasswordForm(FlaskForm):
    current = PasswordField(_l("Current password"), validators=[
        DataRequired(_l("Enter your current password.")),
        Length(max=PASSWORD_CHECK_MAX_LENGTH, message=_l("A password has at most %(max)d characters.")),
    ], render_kw={"autocomplete": "current-password"})
    password, confirm = new_password_fields()


class InvitationForm(FlaskForm):
    """The invited person's own password (twice)."""

    password, confirm = new_password_fields()


class SignInForm(FlaskForm):
    email = email_field()
    password = PasswordField(_l("Password"), validators=[
        DataRequired(_l("Enter your password.")),
        Length(max=PASSWORD_CHECK_MAX_LENGTH, message=_l("A password has at most %(max)d characters.")),
    ], render_kw={"autocomplete": "current-password"})
    next = HiddenField()


class SignOutForm(FlaskForm):
    """Only the CSRF token: signing out is a POST, so another site cannot sign anyone out."""


class ForgotPasswordForm(FlaskForm):
    """The address a password-reset link is sent to."""

    email = email_field()


class ResetPasswordForm(FlaskForm):
    """The new password (twice), chosen with a reset link."""

    password, confirm = new_password_fields()
