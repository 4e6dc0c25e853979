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
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from marketplace.accounts.forms import REQUIRED, ROLE_LABELS
from marketplace.areas.models import AREA_KINDS

KIND_LABELS = {
    "region": _l("Regio"),
    "municipality": _l("Gemeente"),
    "district": _l("Wijk"),
    "core": _l("Kern (dorp)"),
    "neighbourhood": _l("Buurt"),
}


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class UserForm(FlaskForm):
    name = StringField(_l("Naam"), validators=[DataRequired(REQUIRED), Length(max=120)])
    email = EmailField(_l("E-mailadres"), validators=[Optional(), Length(max=254)])
    roles = MultiCheckboxField(_l("Rollen"), choices=list(ROLE_LABELS.items()))
    areas = MultiCheckboxField(
        _l("Werkgebieden (voor welzijnswerkers en gemeente)"), coerce=int, choices=[]
    )
    is_active = BooleanField(_l("Account is actief"), default=True)
    submit = SubmitField(_l("Opslaan"))


class UserSearchForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Zoek op naam of e-mailadres"), validators=[Optional(), Length(max=100)])
    role = SelectField(_l("Rol"), choices=[("", _l("Alle rollen"))] + list(ROLE_LABELS.items()),
                       validators=[Optional()])
    submit = SubmitField(_l("Zoeken"))


class AreaForm(FlaskForm):
    code = StringField(_l("Code"), validators=[DataRequired(REQUIRED), Length(max=40)],
                       description=_l("Bijvoorbeeld de CBS-code, zoals GM1728."))
    name = StringField(_l("Naam"), validators=[DataRequired(REQUIRED), Length(max=120)])
    kind = SelectField(_l("Soort gebied"), choices=[(k, KIND_LABELS[k]) for k in AREA_KINDS])
    parent = SelectField(_l("Valt onder"), choices=[], validators=[Optional()])
    pc4 = TextAreaField(
        _l("Postcodes (4 cijfers)"),
        validators=[Optional(), Length(max=20000)],
        description=_l("Scheid de postcodes met een komma of spatie, zoals: 5531, 5527."),
    )
    brokering_mode = SelectField(
        _l("Hoe komen vraag en aanbod bij elkaar?"),
        choices=[("", _l("Zoals het bovenliggende gebied")),
                 ("brokered", _l("Via de welzijnswerker")),
                 ("peer_to_peer", _l("Rechtstreeks tussen inwoner en vrijwilliger"))],
        validators=[Optional()],
    )
    signal_respond_days = StringField(
        _l("Binnen hoeveel werkdagen gaat een welzijnswerker op een zorgsignaal af?"),
        validators=[Optional(), Length(max=3)],
        description=_l("Leeg laten: zoals het bovenliggende gebied."),
    )
    submit = SubmitField(_l("Opslaan"))
