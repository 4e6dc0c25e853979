"""The worker's evaluation of an arrangement: goals attained, life domains now, who carries
on, and how the request was solved. One field per goal of the arrangement, added per page."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from marketplace.accounts.forms import clean_text
from marketplace.casework.forms import ScoresMixin, text_area
from marketplace.casework.labels import (
    CONTINUATION_LABELS,
    GOAL_STATUS_LABELS,
    SOLVED_BY_LABELS,
)
from marketplace.casework.models import GOAL_STATUSES
from marketplace.cleaning import whole_number

GOAL_PREFIX = "goal_"


class EvaluationBase(ScoresMixin, FlaskForm):
    continuation = RadioField(
        _l("Wie zet de hulp voort?"),
        choices=[SelectChoice(k, v) for k, v in CONTINUATION_LABELS.items()],
        validators=[InputRequired(_l("Kies wie de hulp voortzet."))],
        invalid_choice_message=_l("Kies wie de hulp voortzet."))
    extend_weeks = StringField(
        _l("Hoeveel weken langer?"), filters=[clean_text], validators=[Length(max=3)],
        description=_l("Alleen bij verlengen: een getal van 1 tot 52."))
    extension_reason = text_area(
        _l("Waarom is de hulp langer nodig?"), max_length=500,
        description=_l("Alleen bij verlengen. Hulp is tijdelijk; schrijf op wat er nog moet "
                       "gebeuren voordat het netwerk het kan overnemen."))
    solved_by = SelectField(
        _l("Hoe is de vraag opgelost?"),
        choices=[SelectChoice("", _l("Volgt uit wie de hulp voortzet")),
                 *[SelectChoice(k, v) for k, v in SOLVED_BY_LABELS.items()]],
        validators=[Optional()], invalid_choice_message=_l("Kies uit de lijst."),
        description=_l("Dit telt mee in de cijfers over de buurt (nooit met naam). Niet "
                       "nodig bij verlengen."))
    note = text_area(_l("Wat wilt u nog vastleggen?"), max_length=4000)

    def goal_fields(self) -> list:
        return [field for name, field in self._fields.items() if name.startswith(GOAL_PREFIX)]

    def goal_statuses(self) -> dict[int, str]:
        return {int(f.name[len(GOAL_PREFIX):]): f.data for f in self.goal_fields() if f.data}

    def weeks(self) -> int | None:
        return whole_number(self.extend_weeks.data, 999)  # the field holds 3 characters


def evaluation_form(goals: list, **kwargs) -> EvaluationBase:
    """A form with one "attained?" question per goal (the goals differ per arrangement)."""

    class EvaluationForm(EvaluationBase):
        pass

    for goal in goals:
        setattr(EvaluationForm, f"{GOAL_PREFIX}{goal.id}", RadioField(
            goal.description,
            choices=[SelectChoice(s, GOAL_STATUS_LABELS[s]) for s in GOAL_STATUSES],
            default=goal.status, invalid_choice_message=_l("Kies of het doel is gehaald."),
            validators=[Optional()]))
    return EvaluationForm(**kwargs)
