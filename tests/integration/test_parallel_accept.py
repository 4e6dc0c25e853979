"""Fifty volunteers accept the same request at once: exactly one arrangement, 49 clear 409s."""

from __future__ import annotations

from sqlalchemy import func, select

from marketplace.brokering.models import Arrangement, Match
from marketplace.brokering.services import propose_match
from marketplace.extensions import db
from marketplace.help_requests.services import RequestInput, create_request
from marketplace.volunteers.services import ProfileInput, save_profile
from tests.concurrency import post_at_once

N = 50


def test_fifty_concurrent_accepts_make_one_arrangement(app, make_user, make_area, api_token):
    area = make_area("GM1728", "municipality", pc4=("5531",))
    worker = make_user("worker", areas=(area,))
    resident = make_user("resident")
    help_request = create_request(resident, RequestInput(
        category="shopping", description="Wekelijkse boodschappen graag", postcode="5531",
        house_number="12"))
    volunteers, headers, match_ids = [], [], []
    for _ in range(N):
        volunteer = make_user("volunteer")
        save_profile(volunteer, ProfileInput(skills=["shopping"], postcode="5531", radius_km=5,
                                             max_commitments=3))
        match_ids.append(propose_match(worker, help_request, volunteer).id)
        volunteers.append(volunteer)
    db.session.commit()
    headers = [api_token(v) for v in volunteers]

    # No transaction of this thread may hold SQLite's write lock while the clients run.
    db.session.close()
    statuses = [r.status_code for r in post_at_once(app, [
        (f"/api/v1/matches/{m}/accept", h) for m, h in zip(match_ids, headers, strict=True)])]

    assert sorted(statuses) == [200] + [409] * (N - 1), statuses
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Arrangement)) == 1
    accepted = db.session.scalars(select(Match).where(Match.status == "accepted")).all()
    assert len(accepted) == 1
