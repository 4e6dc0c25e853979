"""Forms of the resident's own network: who around them helps, with what, and with what not."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from marketplace.accounts.forms import clean_text
from marketplace.help_requests.forms import MultiCheckboxField

RELATION_LABELS = {
    "family": _l("Familie"),
    "neighbour": _l("Buren"),
    "friend": _l("Vrienden"),
    "acquaintance": _l("Kennissen"),
    "other": _l("Anders"),
}


class MemberForm(FlaskForm):
    name = StringField(_l("Naam"), filters=[clean_text],
                       validators=[DataRequired(_l("Vul een naam in (een voornaam is genoeg).")),
                                   Length(max=120)],
                       description=_l("Een voornaam is genoeg, bijvoorbeeld: Anna."))
    relation = RadioField(_l("Wie is dit voor u?"),
                          choices=[SelectChoice(k, v) for k, v in RELATION_LABELS.items()],
                          invalid_choice_message=_l("Kies wie dit is: familie, buren, vrienden, "
                                                    "kennissen of anders."))
    can_help = MultiCheckboxField(_l("Waar kan deze persoon mee helpen?"), choices=[],
                                  invalid_choice_message=_l("Kies uit de lijst."))
    cannot_help = TextAreaField(
        _l("Wat kan deze persoon niet?"), filters=[clean_text],
        validators=[Length(max=500, message=_l("Houd het korter: hoogstens 500 tekens."))],
        description=_l("Bijvoorbeeld: kan niet tillen, heeft alleen in het weekend tijd."),
    )


class DeleteForm(FlaskForm):
    """Only the button: the confirmation page asks whether the resident is sure."""
