"""Forms of the association and activity pages. Business rules live in the services; these
only read what was typed into plain values (and keep it when the page comes back)."""

from __future__ import annotations

from datetime import date, datetime, time

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    EmailField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from marketplace.accounts.forms import clean_text
from marketplace.associations.services import ActivityInput
from marketplace.categories.services import active_categories, label
from marketplace.clock import DOMAIN_TZ
from marketplace.help_requests.forms import BAD_DATE, DATE_FORMATS, MultiCheckboxField
from marketplace.signals.forms import apply_errors  # noqa: F401  (one mapper for all forms)

BAD_TIME = _l("Vul een tijd in zoals 19:30.")
RECURRENCE_LABELS = {
    "none": _l("Eén keer"),
    "weekly": _l("Elke week"),
    "biweekly": _l("Om de week"),
    "monthly": _l("Elke maand (zelfde dag van de maand)"),
}
WEEKDAY_LABELS = {
    "mon": _l("maandag"), "tue": _l("dinsdag"), "wed": _l("woensdag"), "thu": _l("donderdag"),
    "fri": _l("vrijdag"), "sat": _l("zaterdag"), "sun": _l("zondag"),
}
RADII = (1, 2, 5, 10, 20)


def category_choices(blank: str | None = None) -> list[SelectChoice]:
    items = [SelectChoice(c.code, label(c.code)) for c in active_categories()]
    return ([SelectChoice("", blank)] if blank is not None else []) + items


def local_moment(day: date | None, at: time | None) -> datetime | None:
    """A date and a clock time as typed (Dutch time) into one aware moment."""
    if day is None or at is None:
        return None
    return datetime.combine(day, at).replace(tzinfo=DOMAIN_TZ)


class AssociationForm(FlaskForm):
    name = StringField(_l("Naam van de vereniging"), filters=[clean_text],
                       validators=[DataRequired(_l("Vul de naam van de vereniging in.")),
                                   Length(max=160)])
    postcode = StringField(
        _l("Postcode"), filters=[clean_text],
        validators=[DataRequired(_l("Vul de postcode in.")), Length(max=20)],
        description=_l("De plaats waar de vereniging actief is, bijvoorbeeld 5531."))
    description = TextAreaField(_l("Wat doet de vereniging?"), filters=[clean_text],
                                validators=[Optional(), Length(max=5000)])
    contact = StringField(
        _l("Contact van de vereniging"), filters=[clean_text],
        validators=[Optional(), Length(max=200)],
        description=_l("Een e-mailadres of telefoonnummer van de vereniging. "
                       "Geen privé-adres."))


class MemberForm(FlaskForm):
    email = EmailField(
        _l("E-mailadres van het nieuwe lid"), filters=[clean_text],
        validators=[DataRequired(_l("Vul het e-mailadres in.")), Length(max=254)],
        description=_l("Deze persoon moet al een account hebben."))


class ActivityForm(FlaskForm):
    title = StringField(_l("Titel"), filters=[clean_text],
                        validators=[DataRequired(_l("Vul een titel in.")), Length(max=160)],
                        description=_l("Bijvoorbeeld: Koffieochtend in het dorpshuis"))
    category = SelectField(_l("Soort activiteit"), choices=[],
                           invalid_choice_message=_l("Kies een soort activiteit."))
    description = TextAreaField(_l("Wat gaan jullie doen?"), filters=[clean_text],
                                validators=[Optional(), Length(max=5000)])
    audience = StringField(_l("Voor wie is het?"), filters=[clean_text],
                           validators=[Optional(), Length(max=300)],
                           description=_l("Bijvoorbeeld: ouderen uit de buurt, iedereen"))
    venue = StringField(_l("Waar? Naam of straat van de plek"), filters=[clean_text],
                        validators=[Optional(), Length(max=200)],
                        description=_l("Een openbare plek, zoals het dorpshuis. "
                                       "Geen privé-adres."))
    postcode = StringField(_l("Postcode van de plek"), filters=[clean_text],
                           validators=[DataRequired(_l("Vul de postcode in.")),
                                       Length(max=20)],
                           description=_l("Bijvoorbeeld 5531 AB of 5531."))
    day = DateField(_l("Datum (de eerste keer)"), format=DATE_FORMATS,
                    invalid_value_message=BAD_DATE,
                    # InputRequired, not DataRequired: 31-02-2027 keeps "type it like …".
                    validators=[InputRequired(_l("Vul de datum in."))],
                    description=_l("Bijvoorbeeld 25-12-2026"))
    start_time = TimeField(_l("Begintijd"), invalid_value_message=BAD_TIME,
                           validators=[InputRequired(_l("Vul de begintijd in."))],
                           description=_l("Bijvoorbeeld 19:30"))
    end_time = TimeField(_l("Eindtijd"), invalid_value_message=BAD_TIME,
                         validators=[Optional()])
    recurrence = RadioField(_l("Hoe vaak?"), default="none",
                            choices=[SelectChoice(k, v) for k, v in RECURRENCE_LABELS.items()],
                            invalid_choice_message=_l("Kies hoe vaak de activiteit is."))
    repeat_until = DateField(_l("Herhalen tot en met"), format=DATE_FORMATS,
                             invalid_value_message=BAD_DATE, validators=[Optional()],
                             description=_l("Leeg: zonder einddatum"))
    capacity = IntegerField(_l("Aantal plaatsen"), validators=[
        Optional(), NumberRange(min=1, max=10_000, message=_l(
            "Het aantal plaatsen moet 1 of meer zijn (leeg is onbeperkt)."))],
        description=_l("Leeg: onbeperkt. Is het vol, dan komen mensen op de wachtlijst."))
    accessible = RadioField(_l("Is de plek toegankelijk voor een rolstoel?"),
                            choices=[SelectChoice("yes", _l("Ja")),
                                     SelectChoice("no", _l("Nee"))],
                            invalid_choice_message=_l("Kies ja of nee."))

    def set_choices(self) -> None:
        self.category.choices = category_choices(blank=str(_l("Kies…")))

    def to_input(self, association_id: int | None) -> ActivityInput:
        starts_at = local_moment(self.day.data, self.start_time.data)
        ends_at = local_moment(self.day.data, self.end_time.data)
        return ActivityInput(
            title=self.title.data or "", category=self.category.data or "",
            description=self.description.data, postcode=self.postcode.data or "",
            venue=self.venue.data, starts_at=starts_at, ends_at=ends_at,
            recurrence=self.recurrence.data or "none", repeat_until=self.repeat_until.data,
            capacity=self.capacity.data, accessible=self.accessible.data == "yes",
            audience=self.audience.data, association_id=association_id)

    def fill_from(self, activity) -> None:
        local_start = activity.starts_at.astimezone(DOMAIN_TZ)
        self.title.data, self.category.data = activity.title, activity.category
        self.description.data, self.audience.data = activity.description, activity.audience
        self.venue.data, self.postcode.data = activity.venue, activity.pc4
        self.day.data, self.start_time.data = local_start.date(), local_start.time()
        self.end_time.data = (activity.ends_at.astimezone(DOMAIN_TZ).time()
                              if activity.ends_at else None)
        self.recurrence.data, self.repeat_until.data = activity.recurrence, activity.repeat_until
        self.capacity.data = activity.capacity
        self.accessible.data = "yes" if activity.accessible else "no"


class MoveForm(FlaskForm):
    day = DateField(_l("Nieuwe datum"), format=DATE_FORMATS, invalid_value_message=BAD_DATE,
                    validators=[InputRequired(_l("Vul de datum in."))])
    start_time = TimeField(_l("Nieuwe begintijd"), invalid_value_message=BAD_TIME,
                           validators=[InputRequired(_l("Vul de begintijd in."))])


class CancelOccurrenceForm(FlaskForm):
    note = StringField(_l("Waarom gaat het niet door?"), filters=[clean_text],
                       validators=[Optional(), Length(max=300)])


class AttendanceForm(FlaskForm):
    present = MultiCheckboxField(_l("Wie waren er?"), coerce=int, choices=[],
                                 validators=[Optional()])
    headcount = IntegerField(_l("Hoeveel mensen waren er in totaal?"), validators=[
        Optional(), NumberRange(min=0, max=100_000,
                                message=_l("Vul een aantal in van 0 of meer."))],
        description=_l("Ook mensen die zich niet hadden aangemeld."))


class NearbyForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search form

    postcode = StringField(_l("Postcode"), filters=[clean_text],
                           validators=[Optional(), Length(max=20)])
    radius_km = SelectField(_l("Afstand"), default="5",
                            choices=[SelectChoice(str(r), _l("%(n)s km", n=r)) for r in RADII],
                            invalid_choice_message=_l("Kies een afstand uit de lijst."))
    category = SelectField(_l("Soort"), choices=[], default="",
                           invalid_choice_message=_l("Kies een soort activiteit."))
    weekday = SelectField(_l("Dag"), choices=[], default="",
                          invalid_choice_message=_l("Kies een dag van de week."))

    def set_choices(self) -> None:
        self.category.choices = category_choices(blank=str(_l("Alle soorten")))
        self.weekday.choices = [SelectChoice("", _l("Alle dagen"))] + [
            SelectChoice(k, v) for k, v in WEEKDAY_LABELS.items()]
