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


# A referral's next step, in the words of the organisation that answers it.
ANSWER_LABELS = {"accepted": _l("We nemen het aan"),
                 "in_care": _l("De inwoner is bij ons in zorg"),
                 "completed": _l("Onze zorg is klaar"),
                 "declined": _l("We nemen het niet aan")}


class AnswerForm(FlaskForm):
    """One referral's answer; the choices are the steps open from its status."""

    status = RadioField(_l("Wat gebeurt er met de verwijzing?"), choices=[],
                        validators=[InputRequired(_l("Kies wat er met de verwijzing gebeurt."))])
    note = TextAreaField(_l("Toelichting voor de welzijnswerker"), filters=[clean_text],
                         validators=[Length(max=500, message=_l(
                             "Houd de toelichting korter: hoogstens 500 tekens."))],
                         description=_l("Nodig als uw organisatie het niet aanneemt: "
                                        "schrijf kort waarom."))
    submit = SubmitField(_l("Doorgeven"))

    def offer(self, answers: tuple[str, ...]) -> AnswerForm:
        self.status.choices = [SelectChoice(k, ANSWER_LABELS[k]) for k in answers]
        if len(answers) == 1 and self.status.data is None:
            # One step left (in care → done): chosen already, one button press passes it on.
            self.status.data = answers[0]
        return self
