"""Confirmation steps before erasing: the person themselves, or staff at the desk."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Length

from marketplace.accounts.forms import REQUIRED, clean_text


class EraseMineForm(FlaskForm):
    email = EmailField(_l("Uw e-mailadres"), filters=[clean_text],
                       validators=[DataRequired(REQUIRED), Length(max=254)])
    password = PasswordField(_l("Uw wachtwoord"), validators=[Length(max=200)])
    understood = BooleanField(_l("Ik begrijp dat mijn gegevens voorgoed weg zijn"),
                              validators=[DataRequired(_l("Zet een vinkje als u het zeker weet."))])


class EraseAtDeskForm(FlaskForm):
    name = StringField(_l("Naam van de persoon"), filters=[clean_text],
                       validators=[DataRequired(REQUIRED), Length(max=120)])
    asked = BooleanField(_l("De persoon vroeg dit zelf, en ik heb gecontroleerd wie het is"),
                         validators=[DataRequired(_l("Zet een vinkje als dit klopt."))])
