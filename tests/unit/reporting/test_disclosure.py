"""Disclosure control on hand-made tables: what is suppressed, and what an attacker derives."""

import math

import pytest

from marketplace.reporting.disclosure import (
    Relation,
    Rules,
    audit,
    fingerprint,
    hierarchy_relations,
    is_protected,
    protect,
    publish_count,
    publish_n,
    publish_table,
    statistic_allowed,
    violations,
)
from tests.unit.reporting.disclosure_tables import cube, two_way

RULES = Rules()


def assert_safe(counts, relations, suppressed, rules=RULES):
    assert violations(counts, relations, suppressed, rules) == []
    for value in publish_table(counts, suppressed, rules).values():
        assert value is None or value >= rules.k


def test_classic_two_by_two_hides_a_rectangle_and_keeps_the_margins() -> None:
    counts, relations = two_way([[2, 10], [10, 10]])
    suppressed = protect(counts, relations, RULES)
    assert suppressed == {(0, 0), (0, 1), (1, 0), (1, 1)}
    intervals = audit(counts, relations, suppressed, RULES)
    assert intervals[(0, 0)] == (0, 12)  # 2 could be anything from 0 to 12
    assert_safe(counts, relations, suppressed)


def test_the_audit_sees_through_primary_suppression_alone() -> None:
    counts, relations = two_way([[2, 10], [10, 10]])
    # Only the small cell hidden: its row total minus the other cell gives it away.
    assert audit(counts, relations, {(0, 0)}, RULES) == {(0, 0): (2, 2)}
    assert violations(counts, relations, {(0, 0)}, RULES) == ["(0, 0) can be narrowed to 2..2"]


def test_municipality_minus_its_visible_districts_does_not_reveal_a_district() -> None:
    counts = {"M": 40, "A": 3, "B": 12, "C": 25}
    relations = [Relation("M", ("A", "B", "C"))]
    suppressed = protect(counts, relations, RULES)
    assert suppressed == {"A", "B"}  # the smallest district that makes the difference >= k
    assert audit(counts, relations, suppressed, RULES) == {"A": (0, 15), "B": (0, 15)}
    assert_safe(counts, relations, suppressed)


def test_a_year_minus_its_visible_quarters_does_not_reveal_a_quarter() -> None:
    counts = {"Y": 40, "Q1": 4, "Q2": 9, "Q3": 20, "Q4": 7}
    relations = [Relation("Y", ("Q1", "Q2", "Q3", "Q4"))]
    suppressed = protect(counts, relations, RULES)
    assert suppressed == {"Q1", "Q4"}
    assert audit(counts, relations, suppressed, RULES)["Q1"] == (0, 11)
    assert_safe(counts, relations, suppressed)


def test_districts_and_quarters_at_once() -> None:
    leaves = {
        ("A", q, "n"): v for q, v in zip(("Q1", "Q2", "Q3", "Q4"), (3, 8, 12, 6), strict=True)
    } | {
        ("B", q, "n"): v for q, v in zip(("Q1", "Q2", "Q3", "Q4"), (9, 1, 7, 14), strict=True)
    } | {
        ("C", q, "n"): v for q, v in zip(("Q1", "Q2", "Q3", "Q4"), (20, 11, 0, 5), strict=True)
    }
    counts, relations = cube(leaves, {"M": ("A", "B", "C")}, {"Y": ("Q1", "Q2", "Q3", "Q4")})
    assert len(relations) == 5 + 4  # M per period; Y per area (M's year included)
    suppressed = protect(counts, relations, RULES)
    assert {("A", "Q1", "n"), ("B", "Q2", "n"), ("C", "Q3", "n")} <= suppressed
    assert ("M", "Y", "n") not in suppressed  # the grand total stays
    assert_safe(counts, relations, suppressed)


def test_protecting_each_table_alone_leaks_across_the_link() -> None:
    leaves = {("A", "Q1", "n"): 3, ("A", "Q2", "n"): 12, ("B", "Q1", "n"): 9,
              ("B", "Q2", "n"): 8}
    counts, relations = cube(leaves, {"M": ("A", "B")}, {"Y": ("Q1", "Q2")})
    area_only = [r for r in relations if r.total[0] == "M"]
    alone = protect(counts, area_only, RULES)
    # Safe for the area table on its own, but the year of A gives its first quarter away.
    assert violations(counts, area_only, alone, RULES) == []
    assert violations(counts, relations, alone, RULES) != []
    assert_safe(counts, relations, protect(counts, relations, RULES))


def test_solved_counts_and_their_total_within_one_answer() -> None:
    counts = {"closed": 34, "own_network": 3, "volunteer": 12, "worker": 10, "referred": 9,
              "requests": 40}
    relations = [Relation("closed", ("own_network", "volunteer", "worker", "referred")),
                 Relation("requests", ("closed",), exact=False)]
    suppressed = protect(counts, relations, RULES)
    assert suppressed == {"own_network", "referred"}
    assert audit(counts, relations, suppressed, RULES)["own_network"] == (0, 12)
    assert_safe(counts, relations, suppressed)


def test_an_inexact_total_hides_a_small_part_by_itself_when_the_rest_is_large() -> None:
    parts = ("own_network", "volunteer", "worker")
    relations = [Relation("requests", parts, exact=False)]
    roomy = {"requests": 40, "own_network": 3, "volunteer": 12, "worker": 10}
    assert protect(roomy, relations, RULES) == {"own_network"}  # 15 requests unaccounted
    assert audit(roomy, relations, {"own_network"}, RULES) == {"own_network": (0, 18)}
    tight = {"requests": 26, "own_network": 3, "volunteer": 12, "worker": 10}
    assert violations(tight, relations, {"own_network"}, RULES) == [
        "'own_network' can be narrowed to 0..4"
    ]
    suppressed = protect(tight, relations, RULES)
    assert suppressed == {"own_network", "worker"}
    assert_safe(tight, relations, suppressed)


def test_zeros_are_suppressed_unless_they_are_declared_structural() -> None:
    counts = {"M": 37, "A": 0, "B": 12, "C": 25}
    relations = [Relation("M", ("A", "B", "C"))]
    assert protect(counts, relations, RULES) == {"A", "B"}
    structural = Rules(publish_zeros=True)
    assert protect(counts, relations, structural) == frozenset()
    assert publish_table(counts, frozenset(), structural)["A"] == 0


def test_a_table_with_nothing_shown_is_unbounded() -> None:
    counts = {"T": 4, "a": 2, "b": 2}
    relations = [Relation("T", ("a", "b"))]
    suppressed = protect(counts, relations, RULES)
    assert suppressed == {"T", "a", "b"}
    assert audit(counts, relations, suppressed, RULES) == {
        "T": (0, math.inf), "a": (0, math.inf), "b": (0, math.inf)
    }


def test_the_lp_audit_repairs_what_the_relation_rules_miss() -> None:
    counts, relations = two_way([[12, 5, 1], [5, 6, 0], [1, 12, 0]])
    fast = protect(counts, relations, RULES, verify=False)
    assert violations(counts, relations, fast, RULES) != []  # rules alone are not enough
    suppressed = protect(counts, relations, RULES)
    assert fast < suppressed
    assert_safe(counts, relations, suppressed)


def test_protect_is_deterministic() -> None:
    counts, relations = two_way([[3, 8, 12], [6, 1, 7], [14, 20, 2]])
    first = protect(counts, relations, RULES)
    assert protect(dict(counts), list(relations), Rules()) == first
    assert protect(counts, relations, Rules(version="2")) == first  # recomputed, same answer


@pytest.mark.parametrize(
    ("counts", "relations", "message"),
    [
        ({"T": 5, "a": 2}, [Relation("T", ("a",))], "do not satisfy"),
        ({"T": 5, "a": 9}, [Relation("T", ("a",), exact=False)], "do not satisfy"),
        ({"T": 5}, [Relation("T", ("a",))], "not in the counts"),
        ({"T": -1}, [], "at least 0"),
        ({"T": 2.5}, [], "whole number"),
    ],
)
def test_bad_tables_are_refused(counts, relations, message) -> None:
    with pytest.raises(ValueError, match=message):
        protect(counts, relations, RULES)


def test_bad_rules_and_relations_are_refused() -> None:
    for bad in ({"k": 0}, {"k": True}, {"round_to": 0}):
        with pytest.raises(ValueError):
            Rules(**bad)
    with pytest.raises(ValueError):
        Relation("T", ())
    with pytest.raises(ValueError):
        Relation("T", ("a", "a"))
    with pytest.raises(ValueError, match="not in the counts"):
        audit({"a": 1}, [], {"b"}, RULES)


def test_statistic_allowed_and_publish_n() -> None:
    assert not statistic_allowed(4, RULES)
    assert statistic_allowed(5, RULES)
    assert [publish_n(n, RULES) for n in (0, 1, 4, 5, 23)] == [None, None, None, 5, 23]
    assert publish_n(9, Rules(k=10)) is None


def test_rounding_to_multiples_of_five() -> None:
    cbs = Rules(round_to=5)
    assert [publish_count(v, cbs) for v in (5, 7, 8, 12, 13, 100)] == [5, 5, 10, 10, 15, 100]
    assert [publish_n(n, cbs) for n in (4, 6, 8)] == [None, 5, 10]
    assert publish_count(2, Rules(k=1, round_to=5)) == 5  # never a 0 that is not true
    assert publish_count(0, Rules(k=1, round_to=5)) == 0
    counts = {"M": 40, "A": 3, "B": 12, "C": 25}
    assert publish_table(counts, {"A", "B"}, cbs) == {"M": 40, "A": None, "B": None, "C": 25}


def test_fingerprint_records_the_rule_set_and_a_hash_of_what_left() -> None:
    rules = Rules(k=5, round_to=5, version="3")
    record = fingerprint("indicator,value\r\nrequests,40\r\n", rules)
    assert record == {
        "rules": "threshold k=5; zeros suppressed; rounding 5",
        "k": 5,
        "method": rules.method,
        "version": "3",
        "sha256": "39b8b26f19cede9abbf29334d66bbd4a5ff688905291bc413d9871e6c62a136a",
    }
    assert fingerprint(b"indicator,value\r\nrequests,40\r\n", rules) == record
    assert fingerprint("indicator,value\r\nrequests,45\r\n", rules)["sha256"] != record["sha256"]


def test_hierarchy_relations_cover_every_link_and_degrade_when_a_part_is_missing() -> None:
    cells = {(a, p, i) for a in ("M", "A", "B") for p in ("Y", "H1", "H2")
             for i in ("closed", "solved", "referred")}
    relations = hierarchy_relations(
        {"M": ("A", "B")}, {"Y": ("H1", "H2")}, {"closed": ("solved", "referred")}, cells)
    assert len(relations) == 3 * 3 + 3 * 3 + 3 * 3
    assert Relation(("M", "H1", "solved"), (("A", "H1", "solved"), ("B", "H1", "solved"))) \
        in relations
    assert Relation(("A", "Y", "closed"), (("A", "H1", "closed"), ("A", "H2", "closed"))) \
        in relations
    assert all(r.exact for r in relations)
    partial = cells - {("B", "H1", "solved")}
    degraded = hierarchy_relations({"M": ("A", "B")}, {}, {}, partial)
    assert Relation(("M", "H1", "solved"), (("A", "H1", "solved"),), exact=False) in degraded
    no_total = cells - {("M", "H1", "solved")}
    assert all(r.total != ("M", "H1", "solved")
               for r in hierarchy_relations({"M": ("A", "B")}, {}, {}, no_total))


def test_is_protected_is_the_width_criterion() -> None:
    assert is_protected((0, 5), RULES)
    assert is_protected((3, 8), RULES)
    assert not is_protected((0, 4), RULES)
    assert is_protected((0, math.inf), RULES)


def test_the_repair_stays_safe_when_it_stops_being_frugal(monkeypatch) -> None:
    from marketplace.reporting import disclosure

    monkeypatch.setattr(disclosure, "_MAX_REPAIR_ROUNDS", 0)  # hide whole neighbourhoods
    counts, relations = two_way([[12, 5, 1], [5, 6, 0], [1, 12, 0]])
    rules = Rules(version="no-frugal-repair")  # not answered from memory
    assert_safe(counts, relations, protect(counts, relations, rules), rules)


def test_cells_the_relations_alone_pin_cannot_be_protected() -> None:
    # a = T + c and T = a + b force b = c = 0 whatever is shown: protect hides all it can
    # and the audit still reports them (relations like these are a modelling error).
    counts = {"T": 5, "a": 5, "b": 0, "c": 0}
    relations = [Relation("T", ("a", "b")), Relation("a", ("T", "c"))]
    suppressed = protect(counts, relations, RULES)
    assert suppressed == {"T", "a", "b", "c"}
    assert violations(counts, relations, suppressed, RULES) == [
        "'b' can be narrowed to 0..0", "'c' can be narrowed to 0..0"
    ]


def test_the_audit_bounds_are_over_whole_numbers() -> None:
    # a = c and a + c + d = 7: over real numbers a could reach 3.5, over whole numbers 3.
    counts = {"T1": 5, "T2": 5, "T3": 7, "a": 1, "b": 4, "c": 1, "d": 5}
    relations = [Relation("T1", ("a", "b")), Relation("T2", ("b", "c")),
                 Relation("T3", ("a", "c", "d"))]
    intervals = audit(counts, relations, {"a", "b", "c", "d"}, RULES)
    assert intervals == {"a": (0, 3), "b": (2, 5), "c": (0, 3), "d": (1, 7)}
