"""Forms of the vacancy pages: a new vacancy, proposing a volunteer, the volunteer's answer."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length

from marketplace.accounts.forms import clean_text
from marketplace.help_requests.forms import MultiCheckboxField
from marketplace.volunteers.forms import slot_choices

VOG_CHOICES = [SelectChoice("category", _l("Zoals gebruikelijk voor deze soort hulp")),
               SelectChoice("yes", _l("Ja, een VOG is nodig"))]


class VacancyForm(FlaskForm):
    skill = SelectField(_l("Welke hulp zoekt u?"), choices=[],
                        validate_choice=False)  # the service says which codes exist
    # Text, not IntegerField: the service checks the range with the other fields.
    count = StringField(_l("Hoeveel vrijwilligers zoekt u?"), filters=[clean_text],
                        validators=[Length(max=10)], default="1",
                        description=_l("Een getal van 1 tot 50."))
    day_parts = MultiCheckboxField(_l("Op welke dagdelen?"), choices=slot_choices(),
                                   invalid_choice_message=_l("Kies uit de tabel."))
    needs_vog = RadioField(_l("Is een VOG (Verklaring Omtrent het Gedrag) nodig?"),
                           choices=VOG_CHOICES, default="category",
                           invalid_choice_message=_l("Kies een van de mogelijkheden."))


class PlainForm(FlaskForm):
    """Only the CSRF token: a button that does one thing (propose one volunteer, close)."""


class VacancyAnswerForm(FlaskForm):
    reason = StringField(_l("Zegt u nee? Dan mag u zeggen waarom"), filters=[clean_text],
                         validators=[Length(max=300)])
