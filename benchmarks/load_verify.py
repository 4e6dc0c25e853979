"""Lost writes: every write of the load test that got a success answer, read back.

The locustfile writes one journal line per success (``load_locustfile.record``); after the
run, with the servers stopped, each line is looked up in the database. A write counts as lost
when its row is not there (or not in the state the answer promised). Later actions of the same
run cannot undo a promised state here: no simulated user withdraws, signs off or ends support.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from sqlalchemy import exists, select

from marketplace.extensions import db


def _found(entry: dict[str, Any]) -> bool:
    from marketplace.associations.models import Activity, Signup
    from marketplace.brokering.models import Arrangement, Match
    from marketplace.casework.models import CaseNote
    from marketplace.followup.models import CheckIn
    from marketplace.help_requests.models import HelpRequest

    kind = entry["kind"]
    if kind == "request":
        row = db.session.get(HelpRequest, entry["id"]) if entry.get("id") else None
        return (row is not None and row.owner_id == entry["owner_id"]
                and entry["marker"] in (row.description or ""))
    if kind in ("offer", "propose"):
        return bool(db.session.scalar(select(exists().where(
            Match.request_id == entry["request_id"],
            Match.volunteer_id == entry["volunteer_id"]))))
    if kind == "accept" or (kind == "proposal" and entry["decision"] == "accept"):
        match = db.session.get(Match, entry["match_id"])
        return match is not None and match.status == "accepted" and bool(db.session.scalar(
            select(exists().where(Arrangement.match_id == match.id))))
    if kind == "proposal":
        match = db.session.get(Match, entry["match_id"])
        return match is not None and match.status == "declined"
    if kind == "signup":
        return bool(db.session.scalar(select(exists().where(
            Signup.activity_id == entry["activity_id"], Signup.user_id == entry["user_id"],
            Signup.status != "cancelled"))))
    if kind == "checkin":
        checkin = db.session.get(CheckIn, entry["checkin_id"])
        answer = None if checkin is None else (
            checkin.resident_answer if entry["role"] == "resident" else checkin.volunteer_answer)
        return answer == entry["answer"]
    if kind == "note":
        return bool(db.session.scalar(select(exists().where(
            CaseNote.resident_id == entry["resident_id"],
            CaseNote.body.contains(entry["marker"])))))
    if kind == "activity":
        return bool(db.session.scalar(select(exists().where(
            Activity.title == entry["title"]))))
    raise ValueError(f"unknown write in the journal: {kind}")


def verify(journal: Path) -> dict[str, Any]:
    """{"writes": n, "lost_writes": n, "writes_by_kind": {...}, "lost_examples": [...]}"""
    written: Counter[str] = Counter()
    lost: list[dict[str, Any]] = []
    lines = journal.read_text().splitlines() if journal.exists() else []
    for line in lines:
        entry = json.loads(line)
        written[entry["kind"]] += 1
        if not _found(entry):
            lost.append(entry)
    db.session.rollback()
    return {"writes": sum(written.values()), "lost_writes": len(lost),
            "writes_by_kind": dict(sorted(written.items())), "lost_examples": lost[:5]}
