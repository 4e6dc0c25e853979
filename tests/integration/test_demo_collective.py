"""The demo region has a cluster the demo worker can act on and a handover in transition."""

from sqlalchemy import func, select

from marketplace.accounts.services import find_by_email
from marketplace.associations.collective import clusters_for_worker
from marketplace.associations.handover_models import Handover
from marketplace.demo.collective import seed_collective
from marketplace.demo.data import DEMO_DOMAIN
from marketplace.demo.seed import seed
from marketplace.extensions import db


def test_demo_cluster_and_handover_idempotent(app):
    seed()
    db.session.commit()
    worker = find_by_email(f"welzijnswerker@{DEMO_DOMAIN}")
    found = [c for _, cs in clusters_for_worker(worker) for c in cs]
    meals = [c for c in found if c.category == "meals"]
    assert meals and meals[0].count >= 5 and meals[0].suggested
    (handover,) = db.session.scalars(select(Handover))
    assert handover.status == "in_transition" and handover.activity.run_by == "welfare"
    board = find_by_email(f"vereniging@{DEMO_DOMAIN}")
    assert any(m.user_id == board.id for m in handover.association.members)
    assert seed_collective() == 0
    seed()
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(Handover)) == 1
