"""Forms of the partner pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length

from marketplace.accounts.forms import clean_text
from marketplace.signals.forms import as_id

STATUS_LABELS = {"done": _l("Gedaan"), "not_possible": _l("Niet mogelijk")}


class ReportForm(FlaskForm):
    status = RadioField(_l("Hoe staat het ervoor?"),
                        choices=[SelectChoice(k, v) for k, v in STATUS_LABELS.items()],
                        validators=[InputRequired(_l("Kies: gedaan, of niet mogelijk."))])
    note = TextAreaField(_l("Toelichting"), filters=[clean_text],
                         validators=[Length(max=500, message=_l(
                             "Houd de toelichting korter: hoogstens 500 tekens."))],
                         description=_l("Nodig als het niet mogelijk is: schrijf kort waarom."))
    submit = SubmitField(_l("Doorgeven"))


class ContactForm(FlaskForm):
    user_id = SelectField(_l("Contactpersoon"), coerce=as_id, choices=[],
                          invalid_choice_message=_l("Kies een contactpersoon uit de lijst."),
                          invalid_value_message=_l("Kies een contactpersoon uit de lijst."))
    partner_id = SelectField(_l("Partnerorganisatie"), coerce=as_id, choices=[],
                             invalid_choice_message=_l("Kies een organisatie uit de lijst."),
                             invalid_value_message=_l("Kies een organisatie uit de lijst."))
    submit = SubmitField(_l("Koppelen"))
