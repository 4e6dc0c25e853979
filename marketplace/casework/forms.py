"""Forms of a resident's file: intake, plan, referral, contact log, partner organisations.

Forms check what was typed; the services in this package check the rules and their messages
are put back on these fields by name (``apply_errors``).
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from marketplace.accounts.forms import clean_text
from marketplace.casework.labels import (
    ACTOR_LABELS,
    DOMAIN_LABELS,
    LINE_LABELS,
    NOTE_KIND_LABELS,
    SCALE_LABELS,
    TERM_LABELS,
)
from marketplace.help_requests.forms import choices, date_field

PICK = _l("Kies uit de lijst.")
NOT_SCORED = _l("Niet besproken")


def text_area(label, *, required: str | None = None, max_length: int = 2000, **kwargs):
    validators = [DataRequired(required)] if required else [Optional()]
    return TextAreaField(label, filters=[clean_text], validators=[*validators, Length(
        max=max_length, message=_l("Houd het korter: hoogstens %(max)d tekens.", max=max_length))],
        **kwargs)


def score_field(label) -> SelectField:
    return SelectField(label, choices=[SelectChoice("", NOT_SCORED), *[
        SelectChoice(str(value), text) for value, text in SCALE_LABELS.items()]],
        validate_choice=True, invalid_choice_message=PICK, default="")


class ScoresMixin:
    """One 1-5 score per life domain, each optional ("niet besproken")."""

    score_social = score_field(DOMAIN_LABELS["social"])
    score_psychological = score_field(DOMAIN_LABELS["psychological"])
    score_physical = score_field(DOMAIN_LABELS["physical"])
    score_financial = score_field(DOMAIN_LABELS["financial"])
    score_housing = score_field(DOMAIN_LABELS["housing"])
    score_daily_activities = score_field(DOMAIN_LABELS["daily_activities"])

    def score_fields(self) -> list:
        return [getattr(self, f"score_{domain}") for domain in DOMAIN_LABELS]

    def scores(self) -> dict[str, int]:
        return {domain: int(field.data) for domain, field in
                zip(DOMAIN_LABELS, self.score_fields(), strict=True) if field.data}


class IntakeForm(ScoresMixin, FlaskForm):
    question_as_asked = text_area(
        _l("De vraag zoals de inwoner hem stelde"),
        required=_l("Schrijf op wat de inwoner vroeg, in zijn of haar eigen woorden."),
        description=_l("Bijvoorbeeld: ik zoek hulp in het huishouden."))
    underlying_need = text_area(
        _l("De vraag achter de vraag"),
        description=_l("Wat is er echt nodig? Bijvoorbeeld: mevrouw is eenzaam sinds haar man "
                       "overleed, en ziet de rommel als bewijs dat het niet meer gaat."))
    own_strength = text_area(
        _l("Wat kan de inwoner zelf?"),
        description=_l("Bijvoorbeeld: kookt zelf, loopt elke dag naar de bakker."))
    network_strength = text_area(
        _l("Wat kan het netwerk doen?"),
        description=_l("Familie, buren, vrienden, de kerk of een club. Bijvoorbeeld: de "
                       "dochter komt op zaterdag; de buurvrouw wil wel boodschappen doen."))
    consent_special_data = BooleanField(
        _l("De inwoner geeft toestemming om gegevens over gezondheid, gevoel en geld vast te "
           "leggen"),
        description=_l("Zonder toestemming kunt u de scores hieronder niet invullen."))
    consent_purpose = StringField(
        _l("Waarvoor zijn deze gegevens nodig?"), filters=[clean_text],
        validators=[Optional(), Length(max=500)],
        description=_l("Verplicht als de inwoner toestemming geeft. Bijvoorbeeld: om samen te "
                       "zien of het beter gaat, en voor het plan."))


class GoalForm(FlaskForm):
    description = StringField(
        _l("Doel"), filters=[clean_text],
        validators=[DataRequired(_l("Schrijf het doel op.")), Length(max=500)],
        description=_l("Concreet en haalbaar. Bijvoorbeeld: twee keer per week naar buiten."))
    measure = StringField(
        _l("Hoe ziet u dat het doel gehaald is?"), filters=[clean_text],
        validators=[Optional(), Length(max=300)],
        description=_l("Bijvoorbeeld: ze gaat elke dinsdag naar de koffie in het buurthuis."))
    term = RadioField(_l("Termijn"), choices=choices(TERM_LABELS), default="short",
                      invalid_choice_message=_l("Kies korte of lange termijn."))
    target_on = date_field(_l("Wanneer wilt u het doel gehaald hebben?"),
                           validators=[Optional()],
                           description=_l("Bijvoorbeeld: 31-12-2027."))
    arrangement_id = SelectField(_l("Hoort bij de afspraak"), choices=[], default="",
                                 invalid_choice_message=PICK)


class GoalStatusForm(FlaskForm):
    status = SelectField(_l("Stand van het doel"), choices=[], invalid_choice_message=PICK)


class ActionForm(FlaskForm):
    actor = SelectField(_l("Wie doet het?"), choices=choices(ACTOR_LABELS),
                        invalid_choice_message=_l("Kies wie dit doet."))
    description = StringField(
        _l("Wat gebeurt er?"), filters=[clean_text],
        validators=[DataRequired(_l("Schrijf op wat er gebeurt.")), Length(max=500)],
        description=_l("Bijvoorbeeld: de buurman haalt op vrijdag de boodschappen."))
    goal_id = SelectField(_l("Bij welk doel?"), choices=[], default="",
                          invalid_choice_message=PICK)
    partner_id = SelectField(_l("Welke organisatie?"), choices=[], default="",
                             invalid_choice_message=PICK,
                             description=_l("Alleen als een andere organisatie het doet."))
    due_on = date_field(_l("Wanneer moet het klaar zijn?"),
                        description=_l("Bijvoorbeeld: 31-01-2027. Is het niet op tijd gedaan? "
                                       "Dan staat het bij Vandaag opvolgen."))


class ActionDoneForm(FlaskForm):
    done = BooleanField(_l("Gedaan"))


class ReferralForm(FlaskForm):
    partner_id = SelectField(_l("Naar welke organisatie?"), choices=[],
                             invalid_choice_message=_l("Kies een organisatie uit de lijst."))
    request_id = SelectField(_l("Over welke hulpvraag?"), choices=[], default="",
                             invalid_choice_message=PICK)
    reason = text_area(
        _l("Waarom is doorverwijzen nodig?"),
        required=_l("Schrijf op waarom doorverwijzen nodig is."),
        description=_l("Wat lukt niet met het eigen netwerk, vrijwilligers of de buurt?"))
    consent = BooleanField(_l("De inwoner weet ervan en geeft toestemming"))


class ReferralStepForm(FlaskForm):
    status = StringField(filters=[clean_text], validators=[DataRequired(PICK), Length(max=20)])
    note = text_area(_l("Wat gebeurt er nu in de buurt?"), max_length=1000,
                     description=_l("Alleen bij terug naar de buurt. Bijvoorbeeld: de "
                                    "buurvrouw kijkt elke week even om het hoekje."))


class NoteForm(FlaskForm):
    kind = RadioField(_l("Soort contact"), choices=choices(NOTE_KIND_LABELS), default="note",
                      invalid_choice_message=_l("Kies het soort contact."))
    body = text_area(_l("Wat is er besproken of gebeurd?"), max_length=4000)
    follow_up_on = date_field(_l("Opvolgen op"), validators=[Optional()],
                              description=_l("Verplicht bij: opvolgen. Bijvoorbeeld: 31-12-2027."))
    request_id = SelectField(_l("Over welke hulpvraag?"), choices=[], default="",
                             invalid_choice_message=PICK)


class PartnerForm(FlaskForm):
    name = StringField(_l("Naam van de organisatie"), filters=[clean_text],
                       validators=[DataRequired(_l("Vul de naam van de organisatie in.")),
                                   Length(max=160)])
    line = RadioField(_l("Lijn"), choices=[SelectChoice(str(k), v) for k, v in
                                           LINE_LABELS.items()], default="2",
                      invalid_choice_message=_l("Kies eerste of tweede lijn."))
    kind = StringField(_l("Soort organisatie"), filters=[clean_text],
                       validators=[Optional(), Length(max=120)],
                       description=_l("Bijvoorbeeld: thuiszorg, schuldhulp, GGZ."))
    contact = StringField(_l("Hoe bereikt u de organisatie?"), filters=[clean_text],
                          validators=[Optional(), Length(max=300)],
                          description=_l("Telefoon, e-mail of een vaste persoon."))
    active = BooleanField(_l("In gebruik: staat in de lijst om naar te verwijzen"),
                          default=True)


class ProposeForm(FlaskForm):
    volunteer_id = StringField(filters=[clean_text],
                               validators=[DataRequired(_l("Kies een vrijwilliger.")),
                                           Length(max=12)])


class PlainForm(FlaskForm):
    """Only the CSRF token: for buttons that need no input."""
