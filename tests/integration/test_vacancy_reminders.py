"""The day-before reminder reaches volunteers on the rota (an accepted vacancy proposal),
once per person per occurrence; time travel with `jobs run-due --at`."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import time_machine
from sqlalchemy import select

from marketplace.extensions import db
from marketplace.notifications.models import OutboxMessage
from tests.vacancy_support import build

START = datetime(2027, 3, 1, 8, 0, tzinfo=UTC)  # Monday; the activity: Thursday 09:00 UTC


def _run_due(runner, at: str) -> dict[str, int]:
    result = runner.invoke(args=["jobs", "run-due", "--at", at])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    return json.loads(result.stdout)


def _rota_mail() -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.dedupe_key.like("occurrence:%:rota:%")).order_by(OutboxMessage.id)))


def test_rota_volunteers_are_reminded_the_day_before(app, runner, make_area, make_user):
    from marketplace.associations import vacancy_services as vacancies

    with time_machine.travel(START, tick=False):
        w = build(make_area, make_user)
        vacancy = vacancies.create_vacancy(w.board, w.activity, vacancies.VacancyInput(
            skill="meals", count=2))
        vacancies.accept(w.near, vacancies.propose(w.board, vacancy, w.near))
        vacancies.propose(w.board, vacancy, w.second)  # asked, not yet on the rota
        db.session.commit()
    assert w.activity.starts_at == datetime(2027, 3, 4, 9, 0, tzinfo=UTC)

    assert _run_due(runner, "2027-03-03T08:00:00+00:00")["activity_reminders"] == 0
    assert _rota_mail() == []
    assert _run_due(runner, "2027-03-03T09:30:00+00:00")["activity_reminders"] == 1
    mails = _rota_mail()
    assert [m.to_address for m in mails] == [w.near.email]
    assert "Morgen helpt u bij Buurtmaaltijd" in mails[0].subject
    assert "Dorpshuis De Kei" in mails[0].body_text
    # Again for the same moment, and later that day: nothing new.
    assert _run_due(runner, "2027-03-03T09:30:00+00:00")["activity_reminders"] == 0
    _run_due(runner, "2027-03-03T20:00:00+00:00")
    assert len(_rota_mail()) == 1
    # A week later the next occurrence is reminded, but a volunteer who stopped gets none.
    from marketplace.associations.vacancy_models import VacancyMatch

    match = db.session.scalars(select(VacancyMatch).where(
        VacancyMatch.volunteer_id == w.near.id)).one()
    vacancies.stop(w.near, match, now=datetime(2027, 3, 5, tzinfo=UTC))
    db.session.commit()
    first_key = mails[0].dedupe_key
    assert _run_due(runner, "2027-03-10T09:30:00+00:00")["activity_reminders"] == 1
    # (The retention sweep may have aged out the first mail by now: compare keys.)
    assert {m.dedupe_key for m in _rota_mail()} <= {first_key}
