"""Forms of the help-request pages: the steps of a new request, edit, withdraw, offers, messages.

Also the plain words the pages use for statuses, urgency and timing (like ROLE_LABELS in
accounts/forms.py), so every page says "We zoeken iemand" rather than "open".
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    RadioField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from marketplace.accounts.forms import REQUIRED, clean_text
from marketplace.cleaning import DATE_FORMATS as CLEAN_DATE_FORMATS

STATUS_LABELS = {
    "draft": _l("Nog niet verstuurd"),
    "new": _l("Ontvangen"),
    "clarifying": _l("Een welzijnswerker bekijkt uw vraag"),
    "open": _l("We zoeken iemand"),
    "matched": _l("Er is hulp gevonden"),
    "in_progress": _l("De hulp is bezig"),
    "closed": _l("Afgerond"),
    "referred": _l("Doorverwezen naar andere hulp"),
    "withdrawn": _l("Ingetrokken"),
    "expired": _l("Verlopen"),
}
URGENCY_LABELS = {
    "high": _l("Snel: binnen een paar dagen"),
    "normal": _l("Binnen een paar weken"),
    "low": _l("Het heeft geen haast"),
}
TIMING_LABELS = {
    "flexible": _l("Het maakt niet uit wanneer"),
    "date": _l("Op een bepaalde dag"),
    "period": _l("In een bepaalde periode"),
    "recurring": _l("Vaker, bijvoorbeeld elke week"),
}
WITHDRAW_REASONS = {
    "own_network": _l("Iemand uit mijn omgeving helpt al"),
    "not_needed": _l("Het is niet meer nodig"),
    "other": _l("Een andere reden"),
}
# Both spellings: the browser's date picker sends 2026-12-25, a person may type 25-12-2026.
DATE_FORMATS = list(CLEAN_DATE_FORMATS)
BAD_DATE = _l("Vul een datum in zoals 25-12-2026.")


def choices(labels: dict) -> list[SelectChoice]:
    return [SelectChoice(code, label) for code, label in labels.items()]


class MultiCheckboxField(SelectMultipleField):
    """A list of checkboxes: far easier to use than <select multiple>."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def date_field(label, **kwargs) -> DateField:
    """A date that may be left empty (browsers send ""); the service decides when it is needed."""
    kwargs.setdefault("validators", [Optional()])
    return DateField(label, format=DATE_FORMATS, invalid_value_message=BAD_DATE, **kwargs)


class ResidentStepForm(FlaskForm):
    """A worker posts on a resident's behalf: an existing resident, or a new one without e-mail."""

    who = RadioField(
        _l("Voor welke inwoner plaatst u de hulpvraag?"),
        choices=[SelectChoice("existing", _l("Een inwoner die al een account heeft")),
                 SelectChoice("new", _l("Een inwoner zonder account of e-mailadres"))],
        invalid_choice_message=_l("Kies of de inwoner al een account heeft."),
    )
    email = EmailField(_l("E-mailadres van de inwoner"), filters=[clean_text],
                       validators=[Length(max=254)],
                       description=_l("Alleen invullen als de inwoner al een account heeft."))
    name = StringField(_l("Naam van de inwoner"), filters=[clean_text],
                       validators=[Length(max=120)],
                       description=_l("Alleen invullen als de inwoner nog geen account heeft. "
                                      "Wij maken dan een account zonder e-mailadres."))
    consent = BooleanField(_l("De inwoner vindt het goed dat ik deze hulpvraag plaats"))

    def validate_email(self, field: EmailField) -> None:
        if self.who.data == "existing" and not field.data:
            raise ValidationError(_l("Vul het e-mailadres van de inwoner in."))

    def validate_name(self, field: StringField) -> None:
        if self.who.data == "new" and not field.data:
            raise ValidationError(_l("Vul de naam van de inwoner in."))

    def validate_consent(self, field: BooleanField) -> None:
        if not field.data:
            raise ValidationError(_l("Vraag eerst of de inwoner het goed vindt."))


class KindStepForm(FlaskForm):
    category = RadioField(_l("Waar zoekt u hulp bij?"), choices=[],
                          invalid_choice_message=_l("Kies waar u hulp bij zoekt."))
    for_whom = RadioField(
        _l("Voor wie is de hulp?"), default="self",
        choices=[SelectChoice("self", _l("Voor mijzelf")),
                 SelectChoice("other", _l("Voor iemand anders, bijvoorbeeld mijn buurman of "
                                          "mijn moeder"))],
        invalid_choice_message=_l("Kies voor wie de hulp is."),
    )


class ForPersonStepForm(FlaskForm):
    for_person_name = StringField(_l("Naam van de persoon die hulp nodig heeft"),
                                  filters=[clean_text],
                                  validators=[DataRequired(REQUIRED), Length(max=120)])
    for_person_relation = StringField(_l("Wat is deze persoon van u?"), filters=[clean_text],
                                      validators=[DataRequired(REQUIRED), Length(max=60)],
                                      description=_l("Bijvoorbeeld: mijn moeder, mijn buurman."))
    for_person_consent = BooleanField(
        _l("Deze persoon weet dat ik hulp vraag en vindt dat goed"))

    def validate_for_person_consent(self, field: BooleanField) -> None:
        if not field.data:
            raise ValidationError(_l("Vraag eerst of de ander het goed vindt dat u hulp vraagt. "
                                     "Zonder toestemming kunt u de hulpvraag niet sturen."))


class DescribeStepForm(FlaskForm):
    description = TextAreaField(
        _l("Vertel in uw eigen woorden wat u zoekt"), filters=[clean_text],
        validators=[DataRequired(_l("Vertel in een paar woorden wat u zoekt.")),
                    Length(max=2000, message=_l("Houd het korter: hoogstens 2000 tekens."))],
        description=_l("Bijvoorbeeld: ik kan niet meer zelf naar de supermarkt. Wie wil op "
                       "vrijdag boodschappen voor mij doen? Schrijf hier geen naam, adres of "
                       "telefoonnummer: vrijwilligers in de buurt kunnen dit lezen."),
    )
    asked = MultiCheckboxField(_l("Wie uit uw netwerk kan misschien helpen?"), coerce=int,
                               choices=[])
    network_note = TextAreaField(
        _l("Wie in uw omgeving zou hierbij kunnen helpen?"), filters=[clean_text],
        validators=[Length(max=800, message=_l("Houd het korter: hoogstens 800 tekens."))],
        description=_l("Bijvoorbeeld: mijn buurvrouw kan soms, maar niet elke week. Of: ik ken "
                       "niemand die dit kan. De welzijnswerker leest dit; vrijwilligers niet."),
    )


def day_part_choices() -> list[SelectChoice]:
    """The day parts of the volunteer profile ("dinsdag ochtend"), in week order."""
    from marketplace.volunteers.forms import slot_choices  # imports this module

    return slot_choices()


def day_parts_text(codes) -> str:
    """Chosen day parts in words, in week order: "dinsdag ochtend, vrijdag middag"."""
    chosen = set(codes or ())
    if not chosen:  # most requests: no labels to translate
        return ""
    return ", ".join(str(choice.label) for choice in day_part_choices()
                     if choice.value in chosen)


class WhereWhenStepForm(FlaskForm):
    postcode = StringField(_l("Postcode"), filters=[clean_text],
                           validators=[DataRequired(REQUIRED), Length(max=10)],
                           description=_l("Bijvoorbeeld 5531 AB."))
    house_number = StringField(
        _l("Huisnummer"), filters=[clean_text],
        validators=[DataRequired(REQUIRED), Length(max=12)],
        description=_l("Met een letter of toevoeging als die er is, bijvoorbeeld 17a of 17-2."))
    timing = RadioField(_l("Wanneer is de hulp nodig?"), choices=choices(TIMING_LABELS),
                        default="flexible",
                        invalid_choice_message=_l("Kies wanneer u hulp nodig heeft."))
    wanted_on = date_field(
        _l("Op welke dag, of vanaf welke dag?"),
        description=_l("Alleen bij een bepaalde dag of periode. Bijvoorbeeld 25-12-2026."))
    wanted_until = date_field(_l("Tot en met welke dag?"),
                              description=_l("Alleen bij een periode."))
    recurrence = StringField(_l("Hoe vaak?"), filters=[clean_text],
                             validators=[Length(max=120)],
                             description=_l("Alleen als het vaker is. Bijvoorbeeld: elke "
                                            "dinsdagochtend."))
    urgency = RadioField(_l("Hoe snel is de hulp nodig?"), choices=choices(URGENCY_LABELS),
                         default="normal",
                         invalid_choice_message=_l("Kies hoe snel u hulp nodig heeft."))
    # Optional: nothing ticked means any day part is fine.
    day_parts = MultiCheckboxField(_l("Welke dagdelen komen goed uit?"),
                                   choices=day_part_choices,
                                   invalid_choice_message=_l("Kies uit de tabel."),
                                   description=_l("Niets aangevinkt: het maakt niet uit."))


class RequestEditForm(WhereWhenStepForm):
    """Everything on one page, for changing a request that is still open."""

    category = KindStepForm.category
    description = DescribeStepForm.description
    network_note = DescribeStepForm.network_note


class WithdrawForm(FlaskForm):
    reason = RadioField(_l("Waarom trekt u de hulpvraag in?"), choices=choices(WITHDRAW_REASONS),
                        invalid_choice_message=_l("Kies een reden."))
    explanation = StringField(_l("Wilt u er iets over vertellen?"), filters=[clean_text],
                              validators=[Length(max=300)])


class OfferForm(FlaskForm):
    message = TextAreaField(
        _l("Een kort bericht"), filters=[clean_text],
        validators=[Length(max=500, message=_l("Houd het korter: hoogstens 500 tekens."))],
        description=_l("Bijvoorbeeld wanneer u kunt. Zet hier geen telefoonnummer of "
                       "e-mailadres in."),
    )


class AnswerForm(FlaskForm):
    """Accept or decline an offer or a proposal: the button pressed says which."""

    reason = StringField(_l("Waarom niet?"), filters=[clean_text], validators=[Length(max=300)])


class MessageForm(FlaskForm):
    body = TextAreaField(
        _l("Uw bericht"), filters=[clean_text],
        validators=[DataRequired(_l("Schrijf eerst een bericht.")),
                    Length(max=2000, message=_l("Houd het bericht korter: hoogstens 2000 "
                                                "tekens."))],
        description=_l("Uw e-mailadres en telefoonnummer blijven geheim. Wilt u die toch "
                       "delen? Dat kan, maar het hoeft niet."),
    )


class ConfirmForm(FlaskForm):
    """The last step: nothing to fill in, a button to send (and one to stop)."""


# The answers of a new request live in the session between steps as plain JSON values.
DRAFT_KEY = "new_request"
DATE_KEYS = ("wanted_on", "wanted_until")


def draft_values(form: FlaskForm) -> dict:
    """What one step adds to the draft: the form's data with dates as ISO strings."""
    values = {}
    for name, value in form.data.items():
        if name == "csrf_token":
            continue
        values[name] = value.isoformat() if hasattr(value, "isoformat") else value
    return values


def form_data(draft: dict) -> dict:
    """The draft as data for a step's form (ISO strings back to dates)."""
    from datetime import date

    data = dict(draft)
    for key in DATE_KEYS:
        try:
            data[key] = date.fromisoformat(data[key]) if data.get(key) else None
        except (TypeError, ValueError):
            data[key] = None
    return data


def request_input(draft: dict, network_note: str | None = None):
    """The draft as the service's RequestInput (missing answers as empty values)."""
    from marketplace.help_requests.services import RequestInput

    data = form_data(draft)
    for_other = draft.get("for_whom") == "other"
    return RequestInput(
        category=draft.get("category") or "", description=draft.get("description") or "",
        postcode=draft.get("postcode") or "", house_number=draft.get("house_number") or "",
        urgency=draft.get("urgency") or "normal", timing=draft.get("timing") or "flexible",
        wanted_on=data["wanted_on"], wanted_until=data["wanted_until"],
        recurrence=draft.get("recurrence"),
        network_note=network_note if network_note is not None else draft.get("network_note"),
        for_person_name=draft.get("for_person_name") if for_other else None,
        for_person_relation=draft.get("for_person_relation") if for_other else None,
        for_person_consent=bool(draft.get("for_person_consent")) if for_other else None,
        day_parts=tuple(draft.get("day_parts") or ()),
    )


def edit_data(help_request) -> dict:
    """A request as data for RequestEditForm (only the 4 digits of the postcode are kept)."""
    names = ("category", "description", "network_note", "house_number", "timing", "wanted_on",
             "wanted_until", "recurrence", "urgency")
    return {"postcode": help_request.pc4, "day_parts": list(help_request.day_parts or []),
            **{name: getattr(help_request, name) for name in names}}
