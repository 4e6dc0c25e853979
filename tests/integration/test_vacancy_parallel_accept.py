"""Twenty volunteers accept places on one vacancy of three at once: exactly three accepted,
seventeen clear 409s, the vacancy filled (SQLite and PostgreSQL)."""

from __future__ import annotations

from sqlalchemy import select

from marketplace.associations import vacancy_services as vacancies
from marketplace.associations.vacancy_models import Vacancy, VacancyMatch
from marketplace.extensions import db
from tests.concurrency import post_at_once
from tests.vacancy_support import build, volunteer

N, PLACES = 20, 3


def test_parallel_accepts_never_take_more_places_than_asked(app, make_area, make_user,
                                                            api_token):
    w = build(make_area, make_user)
    vacancy = vacancies.create_vacancy(w.board, w.activity, vacancies.VacancyInput(
        skill="meals", count=PLACES))
    people = [volunteer(make_user, f"Helper {i}", "5531", ["meals"], has_vog=False)
              for i in range(N)]
    match_ids = [vacancies.propose(w.board, vacancy, person).id for person in people]
    db.session.commit()
    vacancy_id = vacancy.id
    headers = [api_token(person) for person in people]
    # No transaction of this thread may hold SQLite's write lock while the clients run.
    db.session.close()

    statuses = [r.status_code for r in post_at_once(app, [
        (f"/api/v1/vacancy-proposals/{m}/accept", h) for m, h in zip(match_ids, headers,
                                                                     strict=True)])]

    assert sorted(statuses) == [200] * PLACES + [409] * (N - PLACES), statuses
    db.session.expire_all()
    accepted = db.session.scalars(select(VacancyMatch).where(
        VacancyMatch.status == "accepted")).all()
    assert len(accepted) == PLACES
    assert db.session.get(Vacancy, vacancy_id).status == "filled"
