"""The demo region has associations with one-off and weekly activities, sign-ups and a
waiting list; the demo association account manages one; seeding again adds nothing."""

from sqlalchemy import func, select

from marketplace.accounts.services import find_by_email
from marketplace.associations.access import member_association_ids
from marketplace.associations.models import Activity, Association, Signup
from marketplace.demo.associations import seed_associations
from marketplace.demo.seed import seed
from marketplace.extensions import db


def test_demo_associations(app):
    seed()
    db.session.commit()
    board = find_by_email("vereniging@demo.buurtmakelaar.nl")
    names = set(db.session.scalars(select(Association.name).where(
        Association.id.in_(member_association_ids(board)))))
    assert "Dorpsraad Hapert" in names
    recurrences = set(db.session.scalars(select(Activity.recurrence)))
    assert {"none", "weekly"} <= recurrences
    statuses = list(db.session.scalars(select(Signup.status)))
    assert statuses.count("waitlisted") >= 1 and statuses.count("registered") >= 1
    counts = [db.session.scalar(select(func.count()).select_from(t))
              for t in (Association, Activity, Signup)]
    assert seed_associations() == 0
    seed()
    db.session.commit()
    assert [db.session.scalar(select(func.count()).select_from(t))
            for t in (Association, Activity, Signup)] == counts
