"""Fifty residents sign up for an activity with ten places at once: never more than ten
registered, the other forty waitlisted in the order they arrived (their sequence numbers)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from marketplace.associations.models import Signup
from marketplace.associations.services import ActivityInput, create_activity
from marketplace.clock import now as clock_now
from marketplace.extensions import db
from tests.concurrency import post_at_once

N = 50
PLACES = 10


def test_fifty_concurrent_signups_respect_capacity(app, make_user, make_area, api_token):
    area = make_area("GM1728", "municipality", pc4=("5531",))
    worker = make_user("worker", areas=(area,))
    activity = create_activity(worker, ActivityInput(
        title="Samen eten", category="meals", postcode="5531",
        starts_at=clock_now() + timedelta(days=3), capacity=PLACES, accessible=True))
    activity_id = activity.id
    db.session.commit()
    residents = [make_user("resident") for _ in range(N)]
    headers = [api_token(r) for r in residents]
    url = f"/api/v1/activities/{activity_id}/signups"
    # No transaction of this thread may hold SQLite's write lock while the clients run.
    db.session.close()

    answers = [(r.status_code, r.get_json())
               for r in post_at_once(app, [(url, h) for h in headers])]

    assert [status for status, _ in answers] == [201] * N, answers
    statuses = [body["status"] for _, body in answers]
    assert statuses.count("registered") == PLACES
    assert statuses.count("waitlisted") == N - PLACES
    # The waiting list is numbered 1..40 without gaps or doubles.
    assert sorted(body["position"] for _, body in answers
                  if body["status"] == "waitlisted") == list(range(1, N - PLACES + 1))

    db.session.expire_all()
    rows = db.session.scalars(select(Signup).where(Signup.activity_id == activity_id)
                              .order_by(Signup.position)).all()
    assert len(rows) == N
    # Arrival order (the sequence taken under the lock) decides: the first ten are in.
    assert [r.status for r in rows] == ["registered"] * PLACES + ["waitlisted"] * (N - PLACES)
    assert len({r.position for r in rows}) == N
