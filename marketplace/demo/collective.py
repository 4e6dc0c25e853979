"""Demo data for collective solutions and handovers (idempotent): in Bladel, where the demo
worker works, six residents have asked for a warm meal over the last weeks (a cluster the
worker can act on, with a welfare-run neighbourhood meal nearby to solve them with), and a
welfare-run coffee morning is being handed over to a residents' group (in transition for six
more weeks)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from marketplace.accounts import services as accounts
from marketplace.accounts.models import User
from marketplace.associations import handover as handovers
from marketplace.associations.models import Activity, Association
from marketplace.associations.services import (
    ActivityInput,
    add_member,
    create_activity,
    create_association,
    is_member,
)
from marketplace.clock import now as clock_now
from marketplace.clock import today
from marketplace.demo.data import DEMO_DOMAIN, DEMO_PASSWORD
from marketplace.extensions import db
from marketplace.help_requests.services import RequestInput, create_request

MEAL_ASKERS = (
    ("mien.inwoner", "Mien Kuijpers", "3"),
    ("jan.inwoner", "Jan de Bresser", "11"),
    ("truus.inwoner", "Truus van Gils", "24"),
    ("piet.inwoner", "Piet Maas", "5"),
    ("annie.inwoner", "Annie Hendriks", "17"),
    ("wim.inwoner", "Wim Leijten", "30"),
)
# How many days ago each of them asked: within the cluster window (cluster_days, 30), and
# longer than the area's request_stale_days (7).
ASKED_DAYS_AGO = (24, 21, 18, 15, 12, 10)
GROUP = "Bewonersgroep De Schakel"
MEAL = "Buurtmaaltijd in De Schakel"
COFFEE = "Koffie-inloop in De Schakel"


def _user(local: str, name: str, roles: tuple[str, ...], now: datetime | None = None) -> User:
    email = f"{local}@{DEMO_DOMAIN}"
    return accounts.find_by_email(email) or accounts.create_user(
        email, name, password=DEMO_PASSWORD, roles=roles, confirmed=True, now=now)


def _activity(worker: User, title: str, category: str, start: datetime) -> Activity:
    found = db.session.scalar(select(Activity).where(Activity.title == title))
    return found or create_activity(worker, ActivityInput(
        title=title, category=category, postcode="5531", venue="Dorpshuis De Schakel",
        description="Georganiseerd door de welzijnsorganisatie.", starts_at=start,
        recurrence="weekly", capacity=20, accessible=True))


def seed_collective(now: datetime | None = None) -> int:
    """Returns how many objects it added (0 on a second run)."""
    now = now or clock_now()
    worker = accounts.find_by_email(f"welzijnswerker@{DEMO_DOMAIN}")
    if worker is None or db.session.scalar(select(Activity.id).where(Activity.title == COFFEE)):
        return 0
    added = 0
    start = (now + timedelta(days=2)).replace(hour=11, minute=0, second=0, microsecond=0)
    _activity(worker, MEAL, "meals", start)
    coffee = _activity(worker, COFFEE, "companionship", start + timedelta(days=1))
    added += 2
    group = db.session.scalar(select(Association).where(Association.name == GROUP))
    if group is None:
        group = create_association(worker, name=GROUP, postcode="5531",
                                   description="Buren die samen activiteiten in het "
                                               "dorpshuis organiseren.",
                                   contact="deschakel@example.org")
        added += 1
    board = accounts.find_by_email(f"vereniging@{DEMO_DOMAIN}")
    if board is not None and not is_member(board, group):
        add_member(worker, group, board)
    handovers.create_handover(worker, coffee, association_id=group.id,
                              transition_ends_on=today(now) + timedelta(weeks=6),
                              checklist={"volunteers": True, "venue": True}, now=now)
    added += 1
    # They asked over the last few weeks and nobody offered yet: the worker's list shows them
    # as open too long, and the municipality's gaps show meals waiting (docs/indicators.md).
    for n, (local, name, number) in enumerate(MEAL_ASKERS):
        asked = now - timedelta(days=ASKED_DAYS_AGO[n])
        resident = _user(local, name, ("resident",), now=asked - timedelta(hours=1))
        create_request(resident, RequestInput(
            category="meals", postcode="5531", house_number=number,
            description="Ik kook niet meer voor mezelf alleen. Een warme maaltijd, liefst "
                        "samen met anderen, zou fijn zijn."), now=asked)
        added += 1
    db.session.flush()
    return added
