"""Forms of the volunteer pages: the profile, the nearby-list filter, stopping a commitment."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, ValidationError

from marketplace.accounts.forms import clean_text
from marketplace.help_requests.forms import MultiCheckboxField, date_field
from marketplace.volunteers.models import DAYS, PARTS

DAY_LABELS = {"mon": _l("maandag"), "tue": _l("dinsdag"), "wed": _l("woensdag"),
              "thu": _l("donderdag"), "fri": _l("vrijdag"), "sat": _l("zaterdag"),
              "sun": _l("zondag")}
PART_LABELS = {"morning": _l("ochtend"), "afternoon": _l("middag"), "evening": _l("avond")}
LANGUAGE_LABELS = {"nl": _l("Nederlands"), "en": _l("Engels"), "de": _l("Duits"),
                   "fr": _l("Frans"), "ar": _l("Arabisch"), "tr": _l("Turks"), "pl": _l("Pools"),
                   "uk": _l("Oekraïens"), "fy": _l("Fries"),
                   "ngt": _l("Nederlandse Gebarentaal")}
SORT_LABELS = {"distance": _l("Dichtbij eerst"), "newest": _l("Nieuwste eerst"),
               "urgency": _l("Meest dringend eerst")}
YES_NO = [SelectChoice("yes", _l("Ja")), SelectChoice("no", _l("Nee"))]


def day_grid() -> dict:
    """What the day-part table (``day_part_grid`` in _macros/forms.html) needs: the days, the
    parts and their labels. Used by the volunteer profile and the help request forms."""
    return {"days": DAYS, "parts": PARTS, "day_labels": DAY_LABELS, "part_labels": PART_LABELS}


def slot_choices() -> list[SelectChoice]:
    return [SelectChoice(f"{day}_{part}", f"{DAY_LABELS[day]} {PART_LABELS[part]}")
            for day in DAYS for part in PARTS]


class ProfileForm(FlaskForm):
    skills = MultiCheckboxField(_l("Waar wilt u mee helpen?"), choices=[],
                                invalid_choice_message=_l("Kies uit de lijst."))
    postcode = StringField(_l("Uw postcode"), filters=[clean_text], validators=[Length(max=10)],
                           description=_l("Wij bewaren alleen de 4 cijfers. Zo zien wij welke "
                                          "hulpvragen bij u in de buurt zijn."))
    # Text, not IntegerField: the service checks the range and reports it with the other fields.
    radius_km = StringField(_l("Hoe ver wilt u reizen? (in km)"), filters=[clean_text],
                            validators=[Length(max=10)], default="5",
                            description=_l("Een getal van 1 tot 25. Bijvoorbeeld 5."))
    availability = MultiCheckboxField(_l("Wanneer kunt u meestal?"), choices=slot_choices(),
                                      invalid_choice_message=_l("Kies uit de tabel."))
    has_vog = RadioField(_l("Heeft u een VOG (Verklaring Omtrent het Gedrag)?"), choices=YES_NO,
                         default="no", invalid_choice_message=_l("Kies ja of nee."),
                         description=_l("Voor sommige hulp is een VOG nodig, bijvoorbeeld bij "
                                        "gezelschap voor kwetsbare mensen."))
    vog_valid_until = date_field(_l("Tot wanneer is uw VOG geldig?"),
                                 description=_l("Alleen als u een VOG heeft. Bijvoorbeeld "
                                                "31-12-2027."))
    languages = MultiCheckboxField(_l("Welke talen spreekt u?"),
                                   choices=[SelectChoice(k, v) for k, v in LANGUAGE_LABELS.items()],
                                   default=["nl"], invalid_choice_message=_l("Kies uit de lijst."))
    max_commitments = StringField(_l("Hoeveel mensen wilt u tegelijk helpen?"),
                                  filters=[clean_text], validators=[Length(max=10)], default="2",
                                  description=_l("Een getal van 1 tot 10."))
    paused_until = date_field(_l("Pauze tot en met"),
                              description=_l("Bijvoorbeeld als u op vakantie gaat. Tot en met "
                                             "die dag vragen wij u niet om te helpen. Leeg "
                                             "laten als u geen pauze heeft."))
    pause_reason = StringField(_l("Reden van de pauze"), filters=[clean_text],
                               validators=[Length(max=200)])
    wants_digest = BooleanField(_l("Stuur mij een e-mail met nieuwe hulpvragen in de buurt "
                                   "(een overzicht, geen losse e-mails)"), default=True)
    about = TextAreaField(_l("Iets over uzelf"), filters=[clean_text],
                          validators=[Length(max=1000)],
                          description=_l("De inwoner en de welzijnswerker lezen dit als u "
                                         "aanbiedt te helpen. Zet hier geen adres of "
                                         "telefoonnummer in."))

    def validate_vog_valid_until(self, field) -> None:
        if field.data and self.has_vog.data != "yes":
            raise ValidationError(_l("Vul alleen een datum in als u een VOG heeft."))


class NearbyFilterForm(FlaskForm):
    class Meta:
        csrf = False

    categorie = SelectField(_l("Soort hulp"), choices=[])
    sorteer = SelectField(_l("Volgorde"),
                          choices=[SelectChoice(k, v) for k, v in SORT_LABELS.items()],
                          default="distance")


# What a volunteer who stops can say (brokering.stop.REASONS: the codes, in workers' words).
STOP_LABELS = {"health": _l("Mijn gezondheid laat het niet meer toe"),
               "time": _l("Ik heb er geen tijd meer voor"),
               "moved": _l("Ik ga verhuizen of ben verhuisd"),
               "fit": _l("Het klikt niet tussen ons"),
               "other": _l("Iets anders")}


class StopForm(FlaskForm):
    """A volunteer stops helping before the agreed end."""

    reason = RadioField(_l("Waarom stopt u?"),
                        choices=[SelectChoice(k, v) for k, v in STOP_LABELS.items()],
                        invalid_choice_message=_l("Kies waarom u stopt."))
    note = TextAreaField(
        _l("Wilt u er iets over vertellen?"), filters=[clean_text],
        validators=[Length(max=300, message=_l("Houd de toelichting korter: hoogstens 300 "
                                                "tekens."))],
        description=_l("Alleen de welzijnswerker leest dit, niet de inwoner."))
