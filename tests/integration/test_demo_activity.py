"""The demo region shows requests in every state, volunteers, a team, partners and a signal."""

from sqlalchemy import func, select

from marketplace.brokering.models import Arrangement
from marketplace.casework.models import PartnerOrganisation
from marketplace.demo.seed import seed
from marketplace.extensions import db
from marketplace.help_requests.models import STATUSES, HelpRequest
from marketplace.matching.models import MatchingIndexEntry
from marketplace.signals.models import Signal
from marketplace.teams.models import Team


def test_demo_has_every_request_state_and_is_idempotent(app):
    first = seed()
    db.session.commit()
    assert first["requests_added"] >= len(STATUSES)
    statuses = set(db.session.scalars(select(HelpRequest.status)))
    assert statuses == set(STATUSES)
    assert db.session.scalar(select(func.count()).select_from(Arrangement)) >= 2
    assert db.session.scalar(select(func.count(func.distinct(MatchingIndexEntry.user_id)))) >= 5
    # One open signal; the demo's history (demo/history.py) adds only handled ones.
    assert db.session.scalar(select(func.count()).select_from(Signal).where(
        Signal.status != "handled")) == 1
    assert db.session.scalar(select(func.count()).select_from(Team)) == 1
    assert db.session.scalar(select(func.count()).select_from(PartnerOrganisation)) >= 3
    again = seed()
    db.session.commit()
    assert again == {"categories_added": 0, "areas_added": 0, "users_added": 0,
                     "requests_added": 0}
