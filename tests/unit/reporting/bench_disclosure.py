"""Timing of disclosure control on a district dashboard's linked tables (not a test).

A municipality with 10 districts × (year + 4 quarters) × 25 indicators = 1,375 counts, with
every area, period and indicator relation; random small counts (a third under k). Run:

    .venv/bin/python tests/unit/reporting/bench_disclosure.py [seeds]

and it prints one JSON line per seed: CPU milliseconds for the relation rules alone, for
``protect`` with the LP check (cold, then remembered), and for the exact ``audit``.
"""

from __future__ import annotations

import json
import random
import sys
import time

from marketplace.reporting.disclosure import (
    Relation,
    Rules,
    audit,
    hierarchy_relations,
    is_protected,
    protect,
)

SOLVED = ("solved_own_network", "solved_volunteer", "solved_activity", "solved_association",
          "solved_worker", "referred", "not_solved")
OTHERS = tuple(f"indicator_{i}" for i in range(16))
QUARTERS = ("Q1", "Q2", "Q3", "Q4")


def dashboard_cube(seed: int, districts: int = 10) -> tuple[dict, list[Relation]]:
    rnd = random.Random(seed)
    areas = [f"D{i}" for i in range(districts)]
    counts: dict = {}
    for area in areas:
        for q in QUARTERS:
            for s in SOLVED:
                counts[(area, q, s)] = rnd.choice([0, 1, 2, 3, 5, 8, 13, 20])
            closed = sum(counts[(area, q, s)] for s in SOLVED)
            counts[(area, q, "closed")] = closed
            counts[(area, q, "requests")] = closed + rnd.choice([0, 1, 3, 10])
            for o in OTHERS:
                counts[(area, q, o)] = rnd.choice([0, 1, 2, 4, 6, 9, 15, 30])
    indicators = (*SOLVED, "closed", "requests", *OTHERS)
    for area in areas:
        for i in indicators:
            counts[(area, "Y", i)] = sum(counts[(area, q, i)] for q in QUARTERS)
    for period in (*QUARTERS, "Y"):
        for i in indicators:
            counts[("M", period, i)] = sum(counts[(a, period, i)] for a in areas)
    relations = hierarchy_relations({"M": tuple(areas)}, {"Y": QUARTERS}, {"closed": SOLVED},
                                    counts.keys(), indicator_bounds={"requests": ("closed",)})
    return counts, relations


def _ms(start: float) -> float:
    return round((time.process_time() - start) * 1000, 1)


def main(seeds: int) -> None:
    rules = Rules()
    start = time.process_time()
    import scipy.optimize  # noqa: F401  (loaded on first use in the app; timed apart here)

    print(json.dumps({"benchmark": "disclosure.scipy_import", "metrics": {"ms": _ms(start)}}))
    for seed in range(seeds):
        counts, relations = dashboard_cube(seed)
        start = time.process_time()
        fast = protect(counts, relations, rules, verify=False)
        rules_ms = _ms(start)
        start = time.process_time()
        suppressed = protect(counts, relations, rules)
        protect_ms = _ms(start)
        start = time.process_time()
        protect(counts, relations, rules)
        again_ms = _ms(start)
        start = time.process_time()
        intervals = audit(counts, relations, suppressed, rules)
        audit_ms = _ms(start)
        print(json.dumps({
            "benchmark": "disclosure.dashboard", "params": {"seed": seed, "cells": len(counts),
                                                            "relations": len(relations)},
            "metrics": {
                "primary": sum(1 for v in counts.values() if rules.sensitive(v)),
                "suppressed_rules_only": len(fast), "suppressed": len(suppressed),
                "rules_only_ms": rules_ms, "protect_ms": protect_ms,
                "protect_remembered_ms": again_ms, "audit_ms": audit_ms,
                "audit_ok": all(is_protected(i, rules) for i in intervals.values()),
            },
        }))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
