"""The demo has a past: fifteen months of closed cases in Bladel (marketplace/demo/history.py).

Played once, through the services; nothing of it is left open, and the demo accounts' own
pages (the resident, the volunteer Joost Smits, the worker's worklist and follow-ups) do not
fill up with it. The municipality's counts behind the results page are there for this year
and last year."""

from __future__ import annotations

from datetime import UTC, date, datetime

import time_machine
from sqlalchemy import func, select

from marketplace.accounts.models import User
from marketplace.accounts.services import find_by_email
from marketplace.areas.services import get_by_code, subtree_ids
from marketplace.brokering.followups import follow_ups
from marketplace.brokering.models import Arrangement
from marketplace.brokering.services import matches_for_volunteer
from marketplace.brokering.worklist import cases_of, worklist
from marketplace.casework.models import Referral
from marketplace.demo import history
from marketplace.demo.data import DEMO_DOMAIN
from marketplace.demo.seed import demo_accounts, seed
from marketplace.extensions import db
from marketplace.followup.models import CheckIn
from marketplace.help_requests.models import HelpRequest
from marketplace.help_requests.services import requests_of
from marketplace.notifications.models import OutboxMessage
from marketplace.reporting import indicator_table
from marketplace.reporting.indicator_table import collect
from marketplace.reporting.indicators import area_tree, compute, rules_from_config
from marketplace.reporting.periods import Period, table_for
from marketplace.signals.models import Signal
from marketplace.support.lifecycle import ENDED

# A fixed moment, so this year and last year both hold part of the fifteen months.
NOW = datetime(2026, 11, 18, 9, 0, tzinfo=UTC)
K = 5
# The counts behind the main figures (requests, how they were solved, the 0th line, own
# network, temporary support, effect, reciprocity, signals, new volunteers).
MAIN = ("requests", "closed", "not_closed", "zero_line", "network_mobilised",
        "solved_own_network", "solved_volunteer", "referred", "arrangements", "ended",
        "ended_within_plan", "evaluations", "evaluations_on_time", "goals_total",
        "goals_attained", "goal_cases", "domain_cases", "helped_residents",
        "residents_contributed", "signals_due", "signals_in_time", "volunteers_new")
# The figures the municipality looks at first.
SHOWN = ("requests", "share_zero_line", "network_mobilised_share", "ended_within_plan_share",
         "evaluations_on_time_share", "goals_attained_share", "reciprocity_share")


def _year(year: int) -> Period:
    return Period(date(year, 1, 1), date(year, 12, 31))


def _history_users():
    return select(User.id).where(User.email.like(f"historie.%@{DEMO_DOMAIN}"))


def _own_pages() -> dict[str, object]:
    """What the demo accounts see of their own: it must not grow with the history."""
    resident = find_by_email(f"inwoner@{DEMO_DOMAIN}")
    volunteer = find_by_email(f"vrijwilliger@{DEMO_DOMAIN}")
    worker = find_by_email(f"welzijnswerker@{DEMO_DOMAIN}")
    listed = worklist(worker, now=NOW)
    return {
        "resident requests": len(requests_of(resident)),
        "volunteer matches": len(matches_for_volunteer(volunteer)),
        "volunteer arrangements": db.session.scalar(select(func.count()).select_from(
            Arrangement).where(Arrangement.volunteer_id == volunteer.id)),
        "worklist": dict(listed.counts),
        "follow-ups": follow_ups(worker, now=NOW).total,
        "open cases": cases_of(worker.id).total,
    }


def _counts() -> tuple[int, ...]:
    return tuple(db.session.scalar(select(func.count()).select_from(model))
                 for model in (User, HelpRequest, Arrangement, Signal, Referral, OutboxMessage))


def test_the_history_is_played_once_leaves_nothing_open_and_stays_off_own_pages(
        app, monkeypatch):
    with time_machine.travel(NOW, tick=False):
        with monkeypatch.context() as patch:
            patch.setattr(history, "seed_history", lambda now=None: 0)
            seed()
        db.session.commit()
        before = _own_pages()
        made = history.seed_history()
        db.session.commit()
        assert 150 <= made <= 260
        assert _own_pages() == before
        counts = _counts()
        assert seed()["requests_added"] == 0 and history.seed_history() == 0
        db.session.commit()
        assert _counts() == counts

    people = list(db.session.scalars(select(User).where(User.id.in_(_history_users()))))
    assert 40 <= sum(u.has_role("resident") for u in people) <= 80
    assert 10 <= sum(u.has_role("volunteer") for u in people) <= 15
    shown = {a["email"] for a in demo_accounts()}
    assert not shown & {u.email for u in people}  # not on the login page
    # Nothing left open: every request ended before now, every arrangement ended, every
    # signal handled, every referral past "sent", no check-in still to ask, no mail to send.
    requests = list(db.session.scalars(select(HelpRequest).where(
        HelpRequest.owner_id.in_(_history_users()))))
    assert len(requests) == made
    assert all(r.status in ENDED and r.closed_at < NOW for r in requests)
    assert {r.area_id for r in requests} <= subtree_ids([get_by_code("GM1728")])
    ids = [r.id for r in requests]
    arrangements = list(db.session.scalars(select(Arrangement).where(
        Arrangement.request_id.in_(ids))))
    assert arrangements and all(a.status == "ended" for a in arrangements)
    assert not db.session.scalar(select(func.count()).select_from(CheckIn).join(Arrangement)
                                 .where(Arrangement.request_id.in_(ids),
                                        CheckIn.sent_at.is_(None), CheckIn.closed_at.is_(None)))
    assert not db.session.scalar(select(func.count()).select_from(Referral).where(
        Referral.resident_id.in_(_history_users()), Referral.status.in_(("proposed", "sent"))))
    assert db.session.scalar(select(func.count()).select_from(Signal).where(
        Signal.status != "handled")) == 1  # the demo's own signal only
    assert not db.session.scalar(select(func.count()).select_from(OutboxMessage).where(
        OutboxMessage.status == "pending", OutboxMessage.to_address.like("historie.%")))


def _seeded() -> None:
    with time_machine.travel(NOW, tick=False):
        seed()
        db.session.commit()


def test_the_municipality_has_counts_for_this_year_and_last_year(app, monkeypatch):
    # The counts as counted, before disclosure control decides what is published.
    monkeypatch.setattr(indicator_table, "protect_facts", lambda facts: None)
    _seeded()
    bladel = get_by_code("GM1728")
    with time_machine.travel(NOW, tick=False):
        for year in (NOW.year, NOW.year - 1):
            facts = collect(area_tree(bladel), table_for(_year(year)), rules_from_config(),
                            NOW.date())
            cells = {metric: n for (area, part, metric), n in facts.cells.items()
                     if area == bladel.id and part == "all"}
            small = {m: cells[m] for m in MAIN if cells[m] < K}
            assert not small, (year, small)
            # A believable mix, not everything solved or on time.
            assert cells["zero_line"] < cells["closed"]
            assert cells["ended_within_plan"] < cells["ended"]
            assert cells["residents_contributed"] < cells["helped_residents"]
            assert cells["goals_attained"] < cells["goals_total"]
        hapert = get_by_code("GM1728-HAPERT")
        facts = collect(area_tree(bladel), table_for(_year(NOW.year)), rules_from_config(),
                        NOW.date())
        assert facts.cells[(hapert.id, "all", "requests")] >= 4 * K


def test_the_results_page_of_bladel_shows_figures(app):
    """The demo municipality sees its effect: the region's empty municipalities are left out
    of the table, and its sparse year is published without the quarters
    (reporting/detail.py)."""
    _seeded()
    bladel = get_by_code("GM1728")
    with time_machine.travel(NOW, tick=False):
        for year in (NOW.year, NOW.year - 1):
            report = compute(bladel, _year(year))
            hidden = [code for code in SHOWN if report.indicators[code].suppressed]
            # Secondary suppression, and a share whose numerator or others are few
            # (docs/disclosure.md, "Shares": 14 of 18 gave something back tells that 4 did
            # not), may hide shares, never the main figures. Last year is small (about 60
            # requests): most of its shares tell a small count, so only the main figures.
            assert len(hidden) <= (3 if year == NOW.year else 5), (year, hidden)
            assert not {"requests", "share_zero_line"} & set(hidden), (year, hidden)
            assert report.withheld is None
