"""Shares may not give away what the counts hide (docs/disclosure.md, "Shares").

A share published with its n reveals its numerator (share x n) and the others (n less it).
Property-style: random small worlds (a municipality with three districts, requests over the
quarters of 2025, support, evaluations, signals), every answer of the linked set (each area,
the year and each quarter) read as the API answers it, and an attacker written from the
definitions (share_attacker.py) who must learn nothing: no share tells a count under k, no
hidden count equals a share's numerator less the published counts in it, and the audit
(`disclosure.violations`, sums and differences of everything known) passes.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

import pytest
from flask import g

from marketplace.extensions import db
from marketplace.reciprocity.models import Contribution
from marketplace.reporting.disclosure import Rules
from marketplace.reporting.indicators import compute
from marketplace.reporting.periods import QUARTERS, Period
from marketplace.signals.models import Signal
from tests.integration.reporting_world import _request, _support, _user
from tests.integration.share_attacker import problems

OUTCOMES = (("own_network", 5), ("volunteer", 5), ("association", 1), ("activity", 1),
            ("worker", 3), ("referred", 1), ("not_solved", 1), (None, 2))
PLACES = (("D1", "5527"), ("D1", "5528"), ("D2", "5531"), ("D3", "5529"))
YEAR = Period(date(2025, 1, 1), date(2025, 12, 31))
PARTS = {"all": YEAR, **{q: Period(date(2025, 3 * i + 1, 1),
                                   date(2025 + (i == 3), (3 * i + 3) % 12 + 1, 1)
                                   - timedelta(days=1)) for i, q in enumerate(QUARTERS)}}


def random_world(make_area, seed: int) -> dict:
    rng = random.Random(seed)
    areas = {"REG": make_area("REG", "region", name="Kempen")}
    areas["GM"] = make_area("GM", "municipality", name="Bladel", parent="REG")
    areas["D1"] = make_area("D1", "district", name="Hapert", parent="GM", pc4=("5527", "5528"))
    areas["D2"] = make_area("D2", "district", name="Centrum", parent="GM", pc4=("5531",))
    areas["D3"] = make_area("D3", "core", name="Casteren", parent="GM", pc4=("5529",))
    volunteers = [_user(f"V{i}") for i in range(3)]
    quarters = rng.sample(range(4), rng.randint(1, 4))
    for n in range(rng.randint(30, 110)):
        code, pc4 = rng.choice(PLACES)
        how = rng.choices([o for o, _w in OUTCOMES], [w for _o, w in OUTCOMES])[0]
        at = datetime(2025, 3 * rng.choice(quarters) + 1, rng.randint(1, 28), 10, tzinfo=UTC)
        request = _request(areas[code], pc4, n, solved_by=how, at=at,
                           status="open" if how is None else
                           "referred" if how == "referred" else "closed")
        if how in ("volunteer", "own_network", "association") and rng.random() < 0.8:
            goals = rng.randint(1, 3)
            _support(request, rng.choice(volunteers), rng.choice((None, 20, 50, 70)),
                     planned=rng.choice((40, 60)),
                     evaluated=rng.choice((None, "none_needed", "network", "network")),
                     goals=(rng.randint(0, goals), goals))
            if rng.random() < 0.5:
                db.session.add(Contribution(person_id=request.owner_id, kind="help_neighbour",
                                            at=at + timedelta(days=60)))
    for _ in range(rng.randint(0, 20)):
        code, pc4 = rng.choice(PLACES)
        made = datetime(2025, 3 * rng.choice(quarters) + 1, rng.randint(1, 20), tzinfo=UTC)
        db.session.add(Signal(pc4=pc4, concern="Zorgen", area_id=areas[code].id,
                              status="handled", respond_by=(made + timedelta(days=5)).date(),
                              created_at=made,
                              handled_at=made + timedelta(days=rng.choice((2, 3, 9)))))
    db.session.commit()
    return areas


def every_answer(areas: dict, rules: Rules):
    """The protected table and each (area id, part) → indicators, as the API answers."""
    answers = {}
    facts = None
    for area in areas.values():
        for part, period in PARTS.items():
            g.pop("_reporting_cache", None)
            report = compute(area, period, rules=rules)
            answers[(area.id, part)] = report.to_json()["indicators"]
            facts = report.facts
    return facts, answers


@pytest.mark.parametrize("seed", range(8))
def test_no_share_gives_away_a_hidden_count_in_random_worlds(app, make_area, seed):
    rules = Rules(k=5 if seed % 2 else 3)
    areas = random_world(make_area, seed)
    facts, answers = every_answer(areas, rules)
    assert problems(facts, answers, rules) == []


def test_no_share_gives_away_a_hidden_count_in_the_demo(app):
    """The audit's case: in the demo's Bladel, a quarter's own-network count was hidden
    while the network share (0.341 of 41) gave it away, and the year less the other
    quarters then gave the other hidden quarter. Every area and part of the demo's tree."""
    import time_machine

    from marketplace.areas.services import get_by_code
    from marketplace.reporting.indicators import area_tree, rules_from_config
    from tests.integration.test_demo_history import NOW, _seeded

    _seeded()
    rules = rules_from_config()
    with time_machine.travel(NOW, tick=False):
        tree = area_tree(get_by_code("GM1728"))
        areas = {ref.code: get_by_code(ref.code) for ref in tree}
        for year in (NOW.year, NOW.year - 1):
            parts = {part: Period(p.start.replace(year=year), p.end.replace(year=year))
                     for part, p in PARTS.items()}
            answers, facts = {}, None
            for area in areas.values():
                for part, period in parts.items():
                    g.pop("_reporting_cache", None)
                    report = compute(area, period, rules=rules)
                    answers[(area.id, part)] = report.to_json()["indicators"]
                    facts = report.facts
            assert problems(facts, answers, rules) == [], year
