"""Forms of the administrator's team pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length

from marketplace.accounts.forms import clean_text
from marketplace.signals.forms import as_id

NAME_MESSAGE = _l("Gebruik voor de naam hooguit 120 tekens.")


class TeamForm(FlaskForm):
    # No InputRequired on the choice: its own "invalid choice" message already says it.
    area = SelectField(_l("Gebied van het team"), coerce=as_id, choices=[],
                       description=_l("Een gemeente, wijk of kern. Elk gebied heeft hooguit "
                                      "één wijkteam."),
                       invalid_choice_message=_l("Kies een gemeente, wijk of kern uit de lijst."),
                       invalid_value_message=_l("Kies een gemeente, wijk of kern uit de lijst."))
    name = StringField(_l("Naam van het team"), filters=[clean_text],
                       validators=[DataRequired(_l("Geef het team een naam.")),
                                   Length(max=120, message=NAME_MESSAGE)],
                       description=_l("Bijvoorbeeld: Wijkteam Hapert."))
    submit = SubmitField(_l("Wijkteam maken"))


class TeamNameForm(FlaskForm):
    name = StringField(_l("Naam van het team"), filters=[clean_text],
                       validators=[DataRequired(_l("Geef het team een naam.")),
                                   Length(max=120, message=NAME_MESSAGE)])
    submit = SubmitField(_l("Naam opslaan"))


class MemberForm(FlaskForm):
    user_id = SelectField(_l("Welzijnswerker"), coerce=as_id, choices=[],
                          description=_l("U ziet de welzijnswerkers die in dit gebied werken "
                                         "en nog niet in het team zitten."),
                          invalid_choice_message=_l("Kies een welzijnswerker uit de lijst."),
                          invalid_value_message=_l("Kies een welzijnswerker uit de lijst."))
    coordinator = BooleanField(_l("Deze persoon is coördinator van het team"),
                               description=_l("De coördinator ziet de zaken van het hele team "
                                              "en krijgt bericht als een zorgsignaal te laat "
                                              "is."))
    submit = SubmitField(_l("Toevoegen aan het team"))
