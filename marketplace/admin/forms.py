"""Forms of the administrator's pages: users, roles, areas."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from marketplace.accounts.forms import REQUIRED, ROLE_LABELS
from marketplace.accounts.services import AREA_ROLES
from marketplace.areas.models import AREA_KINDS

KIND_LABELS = {
    "region": _l("Regio"),
    "municipality": _l("Gemeente"),
    "district": _l("Wijk"),
    "core": _l("Kern (dorp)"),
    "neighbourhood": _l("Buurt"),
}


# Control characters (NUL among them) have no place in names or codes; PostgreSQL refuses NUL.
_CONTROL = dict.fromkeys(c for c in range(32) if chr(c) not in "\t\n\r")


def clean_text(value: str | None) -> str | None:
    """Field filter: drop control characters and surrounding spaces."""
    return value.translate(_CONTROL).strip() if isinstance(value, str) else value


ROLE_CHOICES = [SelectChoice(code, label) for code, label in ROLE_LABELS.items()]


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class UserForm(FlaskForm):
    name = StringField(_l("Naam"), filters=[clean_text],
                       validators=[DataRequired(REQUIRED), Length(max=120)])
    email = EmailField(_l("E-mailadres"), filters=[clean_text],
                       validators=[Optional(), Length(max=254)])
    roles = MultiCheckboxField(_l("Rollen"), choices=ROLE_CHOICES,
                               validators=[DataRequired(_l("Kies minstens één rol."))])
    areas = MultiCheckboxField(
        _l("Werkgebieden (voor welzijnswerkers en gemeente)"), coerce=int, choices=[]
    )
    is_active = BooleanField(_l("Account is actief"), default=True)
    submit = SubmitField(_l("Opslaan"))

    def validate_areas(self, field: MultiCheckboxField) -> None:
        # A work area gives access to people's requests; only these roles work in one.
        if field.data and not set(self.roles.data or ()) & set(AREA_ROLES):
            raise ValidationError(_l(
                "Alleen een welzijnswerker of de gemeente heeft een werkgebied. "
                "Kies die rol, of haal de vinkjes bij de werkgebieden weg."
            ))


class UserSearchForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Zoek op naam of e-mailadres"), filters=[clean_text],
                    validators=[Optional(), Length(max=100)])
    role = SelectField(_l("Rol"), choices=[SelectChoice("", _l("Alle rollen")), *ROLE_CHOICES],
                       validators=[Optional()])
    submit = SubmitField(_l("Zoeken"))


# Area settings on the form; the field names are the keys in marketplace/areas/settings.py.
SETTING_FIELDS = ("brokering_mode", "signal_respond_days", "request_stale_days",
                  "request_expiry_days", "cluster_min", "cluster_radius_km", "cluster_days")


class AreaForm(FlaskForm):
    code = StringField(_l("Code"), filters=[clean_text],
                       validators=[DataRequired(REQUIRED), Length(max=40)],
                       description=_l("Bijvoorbeeld de CBS-code, zoals GM1728."))
    name = StringField(_l("Naam"), filters=[clean_text],
                       validators=[DataRequired(REQUIRED), Length(max=120)])
    kind = SelectField(_l("Soort gebied"),
                       choices=[SelectChoice(k, KIND_LABELS[k]) for k in AREA_KINDS])
    parent = SelectField(_l("Valt onder"), choices=[], validators=[Optional()])
    pc4 = TextAreaField(
        _l("Postcodes (4 cijfers)"),
        validators=[Optional(), Length(max=20000)],
        description=_l("Scheid de postcodes met een komma of spatie, zoals: 5531, 5527."),
    )
    brokering_mode = SelectField(
        _l("Hoe komen vraag en aanbod bij elkaar?"),
        choices=[SelectChoice("", _l("Zoals het bovenliggende gebied")),
                 SelectChoice("brokered", _l("Via de welzijnswerker")),
                 SelectChoice("peer_to_peer", _l("Rechtstreeks tussen inwoner en vrijwilliger"))],
        validators=[Optional()],
    )
    signal_respond_days = StringField(
        _l("Binnen hoeveel werkdagen gaat een welzijnswerker op een zorgsignaal af?"),
        filters=[clean_text], validators=[Optional(), Length(max=7)],
    )
    request_stale_days = StringField(
        _l("Na hoeveel dagen zonder nieuws krijgt de welzijnswerker een seintje over een "
           "hulpvraag?"),
        filters=[clean_text], validators=[Optional(), Length(max=7)],
    )
    request_expiry_days = StringField(
        _l("Na hoeveel dagen vervalt een hulpvraag waar niemand op reageert?"),
        filters=[clean_text], validators=[Optional(), Length(max=7)],
    )
    cluster_min = StringField(
        _l("Vanaf hoeveel dezelfde hulpvragen dicht bij elkaar stellen we een groepsoplossing "
           "voor?"),
        filters=[clean_text], validators=[Optional(), Length(max=7)],
    )
    cluster_radius_km = StringField(
        _l("Hoe dicht bij elkaar (in km) liggen die hulpvragen?"),
        filters=[clean_text], validators=[Optional(), Length(max=7)],
    )
    cluster_days = StringField(
        _l("Hulpvragen van de laatste hoeveel dagen tellen mee?"),
        filters=[clean_text], validators=[Optional(), Length(max=7)],
    )
    submit = SubmitField(_l("Opslaan"))


class AuditFilterForm(FlaskForm):
    """The audit log's filter (a GET form): about whom, by whom, which days."""

    class Meta:
        csrf = False

    persoon = StringField(_l("Over wie"), filters=[clean_text],
                          validators=[Optional(), Length(max=254)],
                          description=_l("Een e-mailadres of een gebruikersnummer."))
    door = StringField(_l("Door wie"), filters=[clean_text],
                       validators=[Optional(), Length(max=254)],
                       description=_l("Een e-mailadres of een gebruikersnummer."))
    van = StringField(_l("Van"), filters=[clean_text], validators=[Optional(), Length(max=10)],
                      render_kw={"type": "date"}, description=_l("Bijvoorbeeld 1-1-2026."))
    tot = StringField(_l("Tot en met"), filters=[clean_text],
                      validators=[Optional(), Length(max=10)], render_kw={"type": "date"},
                      description=_l("Bijvoorbeeld 31-1-2026."))
    submit = SubmitField(_l("Zoeken"))
