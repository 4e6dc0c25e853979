"""Helpers shared by the sweep tests (no tests here): a small area with a worker, a resident
asking for help, a volunteer who accepts, and ways to read the outbox."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import select

from marketplace.brokering.models import Arrangement
from marketplace.brokering.services import accept, propose_match
from marketplace.extensions import db
from marketplace.help_requests.services import RequestInput, create_request
from marketplace.notifications.models import OutboxMessage
from marketplace.volunteers.services import ProfileInput, save_profile

# A Monday morning in the Netherlands (09:00 UTC = 10:00 CET).
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
URL_RE = re.compile(r"https?://\S+")


def day(n: int, hour: int = 9) -> datetime:
    """`n` days after START, at `hour` UTC."""
    return START.replace(hour=hour) + timedelta(days=n)


@dataclass
class World:
    area: Any
    worker: Any
    resident: Any
    volunteer: Any


def make_world(make_area, make_user, *, code: str = "GM1728", pc4: str = "5531") -> World:
    area = make_area(code, "municipality", pc4=(pc4,))
    worker = make_user("worker", name="Wim Werker", areas=(area,))
    resident = make_user("resident", name="Riek Inwoner")
    volunteer = make_user("volunteer", name="Vera Vrijwilliger")
    save_profile(volunteer, ProfileInput(skills=["shopping", "garden", "odd_jobs"],
                                         postcode=pc4, radius_km=10, max_commitments=5))
    db.session.commit()
    return World(area, worker, resident, volunteer)


def post_request(world: World, *, resident: Any = None, category: str = "shopping",
                 postcode: str = "5531", now: datetime | None = None, owner_less: bool = False):
    """A request by the resident (or, owner_less, typed by the worker for nobody's account)."""
    actor = world.worker if owner_less else (resident or world.resident)
    request = create_request(actor, RequestInput(
        category=category, description=f"Hulp gezocht bij {category}, graag.",
        postcode=postcode, house_number="12"), now=now)
    db.session.commit()
    return request


def start_support(world: World, *, now: datetime, category: str = "shopping",
                  resident: Any = None, volunteer: Any = None, owner_less: bool = False
                  ) -> Arrangement:
    """Post a request, let the worker propose the volunteer, and the volunteer accept."""
    request = post_request(world, resident=resident, category=category, now=now,
                           owner_less=owner_less)
    match = propose_match(world.worker, request, volunteer or world.volunteer, now=now)
    arrangement = accept(volunteer or world.volunteer, match, now=now)
    db.session.commit()
    return arrangement


def messages(*, to: str | None = None, template_key: str | None = None) -> list[OutboxMessage]:
    """Outbox rows, oldest first; filtered by recipient and/or dedupe-key prefix."""
    stmt = select(OutboxMessage).order_by(OutboxMessage.id)
    if to is not None:
        stmt = stmt.where(OutboxMessage.to_address == to)
    rows = list(db.session.scalars(stmt))
    if template_key is not None:
        rows = [r for r in rows if (r.dedupe_key or "").startswith(template_key)]
    return rows


def subjects(to: str) -> list[str]:
    return [m.subject for m in messages(to=to)]


def new_messages(since_id: int) -> list[OutboxMessage]:
    return [m for m in messages() if m.id > since_id]


def last_id() -> int:
    rows = messages()
    return rows[-1].id if rows else 0


def links(message: OutboxMessage) -> list[str]:
    """The paths of the links in a mail (the test client speaks paths)."""
    return [urlsplit(u).path for u in URL_RE.findall(message.body_text)]
