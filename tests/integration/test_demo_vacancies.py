"""The demo has vacancies, one of them with a question to the demo volunteer; seeding again
adds nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from marketplace.associations.vacancy_models import Vacancy, VacancyMatch
from marketplace.demo.seed import seed
from marketplace.extensions import db


def test_demo_vacancies_are_seeded_once(app):
    seed()
    db.session.commit()
    vacancies = db.session.scalars(select(Vacancy).order_by(Vacancy.id)).all()
    assert [(v.activity.title, v.status) for v in vacancies] == [
        ("Koffieochtend voor ouderen", "open"), ("Samen koken en eten", "open")]
    (proposal,) = db.session.scalars(select(VacancyMatch)).all()
    assert proposal.volunteer.email.startswith("vrijwilliger@")
    assert proposal.status == "proposed"
    seed()
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(Vacancy)) == 2
    assert db.session.scalar(select(func.count()).select_from(VacancyMatch)) == 1
