"""The people of the load test (``load.py``), on top of the page benchmark's municipality.

``pages.build(n)`` makes the municipality (Bladel and the PC4 areas within 5 km), its
association with 20 weekly activities and ``n`` requests in bulk. Here come the accounts the
simulated users sign in with, one per user, all through the services: residents with an open
request each, volunteers with a profile near the centre, workers and municipal users of the
area, members of the association. The area is peer-to-peer, so a volunteer's offer waits for
the resident (who accepts it) and a worker's proposal for the volunteer.

Some residents already have support that started a week ago, so the scheduler's first round
mails them and their volunteers a check-in: the simulated users answer it from the mail in
the outbox, as a person clicks the link.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, text, update

from marketplace.extensions import db

from . import pages

SKILLS = ("shopping", "garden", "odd_jobs", "transport")
AREA_CODE = "GM1728"


def role_counts(users: int) -> dict[str, int]:
    """50 users: 20 residents, 15 volunteers, 6 workers, 4 association members, 5 municipal
    users; other totals in the same proportions (at least one of each)."""
    shares = {"resident": 20, "volunteer": 15, "worker": 6, "association": 4, "municipality": 5}
    counts = {role: max(1, round(users * share / 50)) for role, share in shares.items()}
    counts["resident"] += users - sum(counts.values())
    return counts


def build(n: int, users: int, checkins: int) -> dict[str, Any]:
    """The data (``n`` requests in bulk) and the accounts; the world the locustfile reads."""
    from marketplace.accounts.services import create_user
    from marketplace.areas import settings as area_settings
    from marketplace.areas.models import Area
    from marketplace.associations import services as assoc
    from marketplace.associations.models import Activity, Association
    from marketplace.brokering import services as brokering
    from marketplace.clock import today
    from marketplace.followup.models import CheckIn
    from marketplace.help_requests.services import RequestInput, create_request
    from marketplace.volunteers.services import ProfileInput, save_profile

    pages.build(n)
    if db.engine.dialect.name == "postgresql":
        # The bulk insert gave users and requests explicit ids: move their sequences past
        # them, or the accounts made through the services below would collide.
        for table in ('"user"', "help_request"):
            db.session.execute(text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT max(id) FROM {table}))"))
    area = db.session.scalar(select(Area).where(Area.code == AREA_CODE))
    area_settings.set_value(area, "brokering_mode", "peer_to_peer")
    association = db.session.scalar(select(Association))
    places = [p.pc4 for p in pages._near_pc4s(3.0)]
    from marketplace.accounts.services import find_by_email

    board_worker = find_by_email("worker@bench.example")  # pages.build's worker adds members
    db.session.commit()

    accounts: dict[str, list[dict[str, Any]]] = {}
    for role, count in role_counts(users).items():
        accounts[role] = []
        for i in range(count):
            email = f"{role}{i}@load.example"
            user = create_user(email, f"{role.capitalize()} {i}", password=pages.PASSWORD,
                               roles=(role,), confirmed=True,
                               **({"areas": (area,)} if role in ("worker", "municipality")
                                  else {}))
            db.session.flush()
            entry: dict[str, Any] = {"email": email, "id": user.id}
            if role == "volunteer":
                save_profile(user, ProfileInput(skills=list(SKILLS), postcode=places[i % len(
                    places)], radius_km=5.0))
            elif role == "association":
                assoc.add_member(board_worker, association, user)
            elif role == "resident":
                made = create_request(user, RequestInput(
                    category=SKILLS[i % len(SKILLS)], postcode=places[i % len(places)],
                    description="Wie helpt mij met de boodschappen op vrijdag?",
                    house_number=str(10 + i)))
                entry["request_ids"] = [made.id]
            accounts[role].append(entry)
            db.session.commit()

    # Support that started a week ago: the first check-in is due today.
    from marketplace.accounts.models import User

    residents, volunteers = accounts["resident"], accounts["volunteer"]

    started = []
    for i in range(min(checkins, len(residents))):
        resident = db.session.get(User, residents[i]["id"])
        volunteer = db.session.get(User, volunteers[i % len(volunteers)]["id"])
        request = create_request(resident, RequestInput(
            category="garden", postcode=places[i % len(places)], house_number=str(50 + i),
            description="De heg moet geknipt worden, ik kan dat niet meer zelf."))
        db.session.flush()
        match = brokering.offer_help(volunteer, request)
        arrangement = brokering.accept(resident, match)
        started.append(arrangement.id)
        db.session.commit()
    if started:
        first = db.session.scalars(select(CheckIn.id).where(
            CheckIn.arrangement_id.in_(started)).order_by(CheckIn.due_on)).all()
        due = {}
        for checkin in db.session.scalars(select(CheckIn).where(CheckIn.id.in_(first))):
            due.setdefault(checkin.arrangement_id, checkin)
        db.session.execute(update(CheckIn).where(CheckIn.id.in_(
            [c.id for c in due.values()])).values(due_on=today()))
        db.session.commit()
    activities = db.session.scalars(select(Activity.id).order_by(Activity.id)).all()
    return {"password": pages.PASSWORD, "accounts": accounts, "area": AREA_CODE,
            "postcode": pages.HOME_PC4, "association_id": association.id,
            "activity_ids": list(activities),
            "volunteer_ids": [v["id"] for v in volunteers],
            "resident_ids": [r["id"] for r in residents], "checkin_arrangements": started}
