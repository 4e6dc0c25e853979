"""Property-based: over random tables and area trees, protect() leaves nothing derivable.

Each example runs the LP audit on the suppression pattern and checks that no suppressed
cell's interval is narrower than k and that no shown count is under k; on tiny tables the
audit itself is checked against brute-force enumeration of every possible table.
"""

import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from marketplace.reporting.disclosure import (
    Rules,
    audit,
    protect,
    publish_table,
    violations,
)
from tests.unit.reporting.disclosure_tables import brute_force_interval, cube, two_way

# No example database: it would write .hypothesis/ into the repository.
PROPERTY = settings(database=None, deadline=None, max_examples=60,
                    suppress_health_check=[HealthCheck.too_slow])

# Many small counts (the hard case), some zeros, some large ones.
counts_st = st.sampled_from([0, 1, 2, 3, 4, 5, 6, 8, 11, 15, 24, 40])
rules_st = st.builds(Rules, k=st.integers(2, 6), publish_zeros=st.booleans())


@st.composite
def two_way_tables(draw, max_side=4):
    n_rows = draw(st.integers(2, max_side))
    n_cols = draw(st.integers(2, max_side))
    return [[draw(counts_st) for _ in range(n_cols)] for _ in range(n_rows)]


@st.composite
def area_trees(draw):
    """region -> municipalities -> (sometimes) districts: depth 2 or 3."""
    tree: dict[str, tuple[str, ...]] = {}
    municipalities = tuple(f"M{i}" for i in range(draw(st.integers(1, 3))))
    tree["R"] = municipalities
    for m in municipalities:
        n_districts = draw(st.integers(0, 3))
        if n_districts >= 2:
            tree[m] = tuple(f"{m}D{j}" for j in range(n_districts))
    return tree


@st.composite
def linked_tables(draw):
    tree = draw(area_trees())
    parents = set(tree)
    leaves = [a for children in tree.values() for a in children if a not in parents]
    periods = {"Y": ("Q1", "Q2", "Q3")} if draw(st.booleans()) else {}
    leaf_periods = list(periods.get("Y", ("Y",)))
    split = draw(st.booleans())  # one indicator, or a total with two parts
    indicators = {"closed": ("solved", "referred")} if split else {}
    leaf_indicators = list(indicators.get("closed", ("closed",)))
    values = {
        key: draw(counts_st)
        for key in itertools.product(leaves, leaf_periods, leaf_indicators)
    }
    return cube(values, tree, periods, indicators)


def assert_nothing_derivable(counts, relations, suppressed, rules):
    assert violations(counts, relations, suppressed, rules) == []
    for value in publish_table(counts, suppressed, rules).values():
        assert value is None or value >= rules.k or (value == 0 and rules.publish_zeros)


@PROPERTY
@given(two_way_tables(), rules_st)
def test_two_way_tables_are_protected(rows, rules) -> None:
    counts, relations = two_way(rows)
    suppressed = protect(counts, relations, rules)
    assert {key for key, v in counts.items() if rules.sensitive(v)} <= suppressed
    assert_nothing_derivable(counts, relations, suppressed, rules)


@settings(PROPERTY, max_examples=40)
@given(linked_tables(), rules_st)
def test_linked_area_period_tables_are_protected(table, rules) -> None:
    counts, relations = table
    suppressed = protect(counts, relations, rules)
    assert_nothing_derivable(counts, relations, suppressed, rules)


@PROPERTY
@given(two_way_tables(max_side=3), st.data())
def test_the_audit_interval_holds_the_true_value(rows, data) -> None:
    counts, relations = two_way(rows)
    keys = sorted(counts, key=str)
    suppressed = set(data.draw(st.lists(st.sampled_from(keys), max_size=6)))
    for key, (lo, hi) in audit(counts, relations, suppressed, Rules()).items():
        assert lo <= counts[key] <= hi


@settings(PROPERTY, max_examples=30)
@given(
    st.lists(st.lists(st.integers(0, 4), min_size=2, max_size=2), min_size=2, max_size=3),
    st.data(),
)
def test_the_audit_matches_brute_force_on_tiny_tables(rows, data) -> None:
    counts, relations = two_way(rows)
    keys = sorted(counts, key=str)
    suppressed = set(data.draw(st.lists(st.sampled_from(keys), min_size=1, max_size=3)))
    limit = counts[("T", "T")]
    intervals = audit(counts, relations, suppressed, Rules())
    for key in suppressed:
        lo, hi = brute_force_interval(counts, relations, suppressed, key, limit)
        # Brute force tries values up to the grand total; beyond it nothing is bounded.
        expected_hi = hi if intervals[key][1] <= limit else intervals[key][1]
        assert intervals[key] == (lo, expected_hi)
