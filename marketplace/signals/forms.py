"""Forms of the signal pages: reporting a worry, assigning, logging a contact attempt,
recording the outcome."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from marketplace.accounts.forms import clean_text
from marketplace.errors import apply_errors as apply_errors  # one helper for all forms
from marketplace.help_requests.forms import date_field

OUTCOME_LABELS = {
    "visited": _l("Op bezoek geweest"),
    "no_need": _l("Contact gehad: er is geen hulp nodig"),
    "consent_for_help": _l("De inwoner wil hulp en geeft toestemming"),
    "referred": _l("Doorverwezen naar andere hulp"),
    "not_reached": _l("Niet bereikt, ook niet na een paar pogingen"),
}
ATTEMPT_METHOD_LABELS = {
    "visit": _l("Langs geweest (aangebeld)"),
    "phone": _l("Gebeld"),
    "letter": _l("Brief of kaartje in de bus"),
    "via_contact": _l("Via iemand die de persoon kent"),
}
REACHED_LABELS = {"yes": _l("Ja, ik heb de persoon gesproken"),
                  "no": _l("Nee, ik heb de persoon niet bereikt")}
STATUS_LABELS = {
    "new": _l("Nog niet opgepakt"),
    "in_progress": _l("Opgepakt"),
    "handled": _l("Afgehandeld"),
}


def as_id(value: object) -> int:
    """A chosen id; anything that is not a plain number becomes -1 (never a choice)."""
    text = str(value) if value is not None else ""
    return int(text) if re.fullmatch(r"[0-9]{1,9}", text) else -1


class SignalForm(FlaskForm):
    postcode = StringField(
        _l("Postcode"), filters=[clean_text],
        validators=[DataRequired(_l("Vul de postcode in.")), Length(max=20)],
        description=_l("Bijvoorbeeld 5531 AB. Weet u alleen de 4 cijfers? Dat is ook goed."))
    concern = TextAreaField(
        _l("Wat viel u op?"), filters=[clean_text],
        validators=[DataRequired(_l("Vertel wat u opviel.")),
                    Length(max=4000, message=_l("Houd het korter: hoogstens 4000 tekens."))],
        description=_l("Bijvoorbeeld: de gordijnen blijven dicht, de post stapelt zich op, of "
                       "uw buurvrouw lijkt de weg kwijt te raken. Schrijf op wat u zelf zag "
                       "of hoorde."))
    about = StringField(
        _l("Over wie gaat het, of waar woont deze persoon?"), filters=[clean_text],
        validators=[Optional(),
                    Length(max=300, message=_l("Houd dit korter: hoogstens 300 tekens."))],
        description=_l("Bijvoorbeeld: de oudere meneer op huisnummer 12. Weet u het niet "
                       "precies? Laat dit dan leeg."))
    submit = SubmitField(_l("Zorg melden"))


class AssignForm(FlaskForm):
    # No InputRequired on choices: the field's own "invalid choice" message already says it.
    worker_id = SelectField(
        _l("Wie pakt dit signaal op?"), coerce=as_id, choices=[],
        invalid_choice_message=_l("Kies een collega uit de lijst."),
        invalid_value_message=_l("Kies een collega uit de lijst."))
    reason = StringField(
        _l("Waarom? Bijvoorbeeld: kent de inwoner al"), filters=[clean_text],
        validators=[Optional(),
                    Length(max=300, message=_l("Houd de reden korter: hoogstens 300 tekens."))])
    submit = SubmitField(_l("Toewijzen"))


class AttemptForm(FlaskForm):
    """On the signal's page beside the outcome form: field names start with "poging-" so
    that its note and the outcome's note have their own ids and labels."""

    attempted_on = date_field(
        _l("Op welke dag?"), description=_l("Bijvoorbeeld 25-12-2026. Leeg: vandaag."))
    method = RadioField(
        _l("Hoe probeerde u het?"),
        choices=[SelectChoice(code, label) for code, label in ATTEMPT_METHOD_LABELS.items()],
        invalid_choice_message=_l("Kies hoe u het probeerde."))
    reached = RadioField(
        _l("Heeft u de persoon bereikt?"),
        choices=[SelectChoice(code, label) for code, label in REACHED_LABELS.items()],
        invalid_choice_message=_l("Kies of u de persoon heeft bereikt."))
    note = TextAreaField(
        _l("Korte notitie voor collega's"), filters=[clean_text],
        validators=[Optional(), Length(
            max=500, message=_l("Houd de notitie korter: hoogstens 500 tekens."))],
        description=_l("Bijvoorbeeld: niemand thuis, buurvrouw zegt dat hij 's ochtends "
                       "boodschappen doet. Alleen welzijnswerkers van dit gebied lezen dit."))
    submit = SubmitField(_l("Poging vastleggen"))

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("prefix", "poging")
        super().__init__(*args, **kwargs)


class OutcomeForm(FlaskForm):
    outcome = RadioField(
        _l("Wat kwam er uit het contact?"),
        choices=[SelectChoice(code, label) for code, label in OUTCOME_LABELS.items()],
        invalid_choice_message=_l("Kies wat er uit het contact kwam."))
    note = TextAreaField(
        _l("Toelichting voor collega's"), filters=[clean_text],
        validators=[Optional(), Length(
            max=2000, message=_l("Houd de toelichting korter: hoogstens 2000 tekens."))],
        description=_l("Alleen welzijnswerkers van dit gebied lezen dit. De melder hoort "
                       "alleen dat het signaal is opgepakt."))
    submit = SubmitField(_l("Uitkomst vastleggen"))


def worker_choices(workers: list, me_id: int, skip_id: int | None = None) -> list[SelectChoice]:
    """Colleagues to choose from, the signed-in worker first as "Ikzelf"."""
    ordered = sorted(workers, key=lambda w: (w.id != me_id, w.name.lower()))
    return [SelectChoice(w.id, _l("Ikzelf (%(name)s)", name=w.name) if w.id == me_id
                         else w.name) for w in ordered if w.id != skip_id]
