"""Forms of the handover and collective-solution pages. They only read what was typed; the
services (handover.py, collective.py) decide, and their errors go back onto these fields."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from marketplace.accounts.forms import clean_text
from marketplace.help_requests.forms import MultiCheckboxField, date_field

CHECKLIST_LABELS = {
    "volunteers": _l("Er zijn genoeg vrijwilligers"),
    "coordinator": _l("Er is een vaste contactpersoon (coördinator)"),
    "money": _l("Het geld is geregeld"),
    "venue": _l("De plek is geregeld"),
}
STATUS_LABELS = {
    "in_transition": _l("Wordt overgedragen"),
    "handed_over": _l("Overgedragen"),
    "still_running": _l("Loopt nog"),
    "stopped": _l("Gestopt"),
}


class HandoverForm(FlaskForm):
    association_id = SelectField(_l("Welke vereniging neemt de activiteit over?"), choices=[],
                                 validators=[Optional()])
    new_group_name = StringField(
        _l("Of: naam van een nieuwe bewonersgroep"), filters=[clean_text],
        validators=[Optional(), Length(max=160)],
        description=_l("Alleen invullen als de groep nog niet in de lijst staat."))
    new_group_postcode = StringField(
        _l("Postcode van de nieuwe bewonersgroep"), filters=[clean_text],
        validators=[Optional(), Length(max=10)], description=_l("Bijvoorbeeld 5531."))
    transition_ends_on = date_field(
        _l("Tot wanneer duurt de overgangstijd?"),
        description=_l("Vanaf die dag organiseert de vereniging de activiteit. "
                       "Bijvoorbeeld 1-3-2027."))
    checklist = MultiCheckboxField(
        _l("Wat is al geregeld?"),
        choices=[SelectChoice(k, v) for k, v in CHECKLIST_LABELS.items()],
        validators=[Optional()])
    submit = SubmitField(_l("Overdracht starten"))


class StillRunningForm(FlaskForm):
    answer = RadioField(_l("Loopt de activiteit nog?"), choices=[
        SelectChoice("running", _l("Ja, de activiteit loopt nog")),
        SelectChoice("stopped", _l("Nee, de activiteit is gestopt"))],
        validators=[InputRequired(_l("Kies een antwoord."))])
    note = TextAreaField(_l("Toelichting"), filters=[clean_text],
                         validators=[Optional(), Length(max=500)])
    submit = SubmitField(_l("Verstuur mijn antwoord"))


class SolveForm(FlaskForm):
    activity_id = RadioField(_l("Bij welke activiteit meldt u de inwoner aan?"), choices=[],
                             validators=[InputRequired(_l("Kies een activiteit."))])
    submit = SubmitField(_l("Aanmelden en hulpvraag afsluiten"))
