"""The one mail a volunteer gets for all proposals of a batch (``batch_proposals.send``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from marketplace.brokering.models import Match
from marketplace.brokering.notify import public_url
from marketplace.categories.services import label
from marketplace.notifications.outbox import enqueue


def proposals_sent(matches: Sequence[Match], now: datetime | None = None) -> None:
    """One mail listing every proposal of this batch for one volunteer (deduplicated on the
    first match, so a retry never sends it twice)."""
    if not matches:
        return
    volunteer = matches[0].volunteer
    if volunteer is None or not volunteer.email or not volunteer.is_active:
        return
    items = [{"category": label(m.request.category), "pc4": m.request.pc4,
              "url": public_url("volunteers.match", match_id=m.id)} for m in matches]
    enqueue(volunteer.email, "batch_proposed",
            dedupe_key=f"batch:{volunteer.id}:{min(m.id for m in matches)}",
            locale=volunteer.locale, now=now, user=volunteer, items=items)
