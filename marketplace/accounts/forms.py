"""Forms for logging in, registering, resetting a password and the own account."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length

from marketplace.accounts.passwords import MIN_LENGTH

REQUIRED = _l("Vul dit veld in.")
# C0 control characters (NUL among them) have no place in a name or an address; PostgreSQL
# refuses NUL in text, so they would otherwise turn a typo into a server error.
_CONTROL = dict.fromkeys(c for c in range(32) if chr(c) not in "\t\n\r")


def clean_text(value: str | None) -> str | None:
    """Field filter: drop control characters and surrounding spaces."""
    return value.translate(_CONTROL).strip() if isinstance(value, str) else value


ROLE_LABELS = {
    "resident": _l("Inwoner"),
    "volunteer": _l("Vrijwilliger"),
    "association": _l("Vereniging"),
    "worker": _l("Welzijnswerker"),
    "municipality": _l("Gemeente"),
    "admin": _l("Beheerder"),
    "partner": _l("Partnerorganisatie"),
}


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mailadres"), filters=[clean_text],
                       validators=[DataRequired(REQUIRED), Length(max=254)])
    password = PasswordField(_l("Wachtwoord"), validators=[DataRequired(REQUIRED)])
    submit = SubmitField(_l("Inloggen"))


def new_password_field(label) -> PasswordField:
    return PasswordField(
        label,
        validators=[
            DataRequired(REQUIRED),
            Length(min=MIN_LENGTH, max=200,
                   message=_l("Kies een wachtwoord van minstens %(n)s tekens.", n=MIN_LENGTH)),
        ],
    )


def repeat_password_field(label) -> PasswordField:
    return PasswordField(
        label,
        validators=[DataRequired(REQUIRED),
                    EqualTo("password", message=_l("De twee wachtwoorden zijn niet gelijk."))],
    )


class RegisterForm(FlaskForm):
    name = StringField(_l("Uw naam"), filters=[clean_text],
                       validators=[DataRequired(REQUIRED), Length(max=120)])
    email = EmailField(_l("E-mailadres"), filters=[clean_text],
                       validators=[DataRequired(REQUIRED), Length(max=254)])
    password = new_password_field(_l("Kies een wachtwoord"))
    password_again = repeat_password_field(_l("Typ het wachtwoord nog een keer"))
    submit = SubmitField(_l("Account maken"))


class ResetRequestForm(FlaskForm):
    email = EmailField(_l("E-mailadres"), filters=[clean_text],
                       validators=[DataRequired(REQUIRED), Length(max=254)])
    submit = SubmitField(_l("Stuur mij een link"))


class NewPasswordForm(FlaskForm):
    password = new_password_field(_l("Nieuw wachtwoord"))
    password_again = repeat_password_field(_l("Typ het nieuwe wachtwoord nog een keer"))
    submit = SubmitField(_l("Wachtwoord opslaan"))


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(_l("Huidig wachtwoord"), validators=[DataRequired(REQUIRED)])
    password = new_password_field(_l("Nieuw wachtwoord"))
    password_again = repeat_password_field(_l("Typ het nieuwe wachtwoord nog een keer"))
    submit = SubmitField(_l("Wachtwoord wijzigen"))


class ProfileForm(FlaskForm):
    name = StringField(_l("Uw naam"), filters=[clean_text],
                       validators=[DataRequired(REQUIRED), Length(max=120)])
    locale = SelectField(
        _l("Taal van de site en de e-mails"),
        choices=[SelectChoice("nl", "Nederlands"), SelectChoice("en", "English")],
    )
    submit = SubmitField(_l("Opslaan"))
