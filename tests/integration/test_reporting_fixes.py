"""The indicator fixes of this round, each by hand (k = 1, zeros shown): every extension
counts, reciprocity per person, participation in activities (headcount and attendance), and
only calendar periods (a free period is refused; the linprog audit shows why)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from marketplace.associations.models import Activity, Attendance, Occurrence
from marketplace.brokering.models import Arrangement
from marketplace.extensions import db
from marketplace.followup.services import evaluate
from marketplace.reciprocity.models import Contribution
from marketplace.reporting.disclosure import Relation, Rules, audit, protect, violations
from marketplace.reporting.indicators import compute as cached_compute
from marketplace.reporting.periods import Period, is_published, table_for
from tests.integration.reporting_world import _request, _support, _user, build

Q1 = Period(date(2025, 1, 1), date(2025, 3, 31))
OPEN = Rules(k=1, publish_zeros=True)


def compute(area, period, **kwargs):
    """Fresh figures: the test's app context outlives a web request's cache."""
    from flask import g

    g.pop("_reporting_cache", None)
    return cached_compute(area, period, **kwargs)


@pytest.fixture()
def world(app, make_area):
    return build(make_area)


def test_every_extension_counts_also_when_the_support_ended_later(world, make_user):
    worker = make_user("worker", areas=(world.areas["GM"],))
    d3 = world.areas["D3"]
    before = compute(world.areas["GM"], Q1, rules=OPEN).indicators["extended"].value
    assert before == 1  # the world's running support evaluated "extension"
    volunteer = world.people["volunteers"][0]
    for n in range(3):
        request = _request(d3, "5529", 500 + n, solved_by="volunteer")
        arrangement = _support(request, volunteer, None)
        db.session.flush()
        evaluate(worker, arrangement, continuation="extension", extension_reason="Nog nodig",
                 extend_weeks=4)
        if n < 2:  # two of them end later: the evaluation row then says "network"
            evaluate(worker, arrangement, continuation="network")
    db.session.commit()
    assert db.session.get(Arrangement, arrangement.id).status == "active"
    cells = compute(world.areas["GM"], Q1, rules=OPEN).indicators
    assert cells["extended"].value == 1 + 3
    assert compute(d3, Q1, rules=OPEN).indicators["extended"].value == 3


def test_reciprocity_counts_helped_residents_not_arrangements(world):
    d3 = world.areas["D3"]
    volunteer = world.people["volunteers"][1]
    gives = _user("Gever")
    takes = _user("Nemer")
    for n, owner in enumerate((gives, gives, gives, takes)):  # 3 ended supports of one person
        request = _request(d3, "5529", 600 + n, solved_by="volunteer")
        request.owner_id = owner.id
        _support(request, volunteer, 20)
    db.session.add(Contribution(person_id=gives.id, kind="help_neighbour",
                                at=datetime(2025, 6, 1, tzinfo=UTC)))
    db.session.commit()
    cell = compute(d3, Q1, rules=OPEN).indicators["reciprocity_share"]
    assert (cell.value, cell.n) == (0.5, 2)  # 1 of 2 persons (not 3 of 4 arrangements)
    # The municipality: the world's 13 helped residents (5 gave back) plus these two.
    gm = compute(world.areas["GM"], Q1, rules=OPEN).indicators["reciprocity_share"]
    assert (gm.value, gm.n) == (round(6 / 15, 3), 15)


def _occurrence(activity: Activity, day: int, *, status: str = "held",
                headcount: int | None = None) -> Occurrence:
    start = datetime(2025, 3, day, 14, tzinfo=UTC)
    occurrence = Occurrence(activity_id=activity.id, planned_start=start, starts_at=start,
                            status=status, headcount=headcount)
    db.session.add(occurrence)
    db.session.flush()
    return occurrence


def test_participation_counts_headcounts_and_attendance(world):
    d1, d2 = world.areas["D1"], world.areas["D2"]
    first = Activity(title="Koffieochtend", category="shopping", pc4="5527", place="Hapert",
                     lat=51.36, lon=5.25, starts_at=datetime(2025, 3, 1, 10, tzinfo=UTC),
                     area_id=d1.id)
    second = Activity(title="Wandelen", category="shopping", pc4="5531", place="Bladel",
                      lat=51.37, lon=5.22, starts_at=datetime(2025, 3, 1, 10, tzinfo=UTC),
                      area_id=d2.id)
    db.session.add_all([first, second])
    db.session.flush()
    _occurrence(first, 3, headcount=7)  # a headcount (with walk-ins)
    named = _occurrence(first, 10)  # only names ticked: 3 people
    for who in world.people["volunteers"][:3]:
        db.session.add(Attendance(occurrence_id=named.id, user_id=who.id))
    _occurrence(first, 17, status="cancelled", headcount=9)  # cancelled: never counts
    _occurrence(first, 24, headcount=0)  # nobody came
    _occurrence(second, 5, headcount=4)
    late = Occurrence(activity_id=second.id, planned_start=datetime(2025, 4, 2, tzinfo=UTC),
                      starts_at=datetime(2025, 4, 2, tzinfo=UTC), headcount=50)
    db.session.add(late)  # in Q2: not in Q1
    db.session.commit()
    gm = compute(world.areas["GM"], Q1, rules=OPEN).indicators
    assert (gm["activity_attendances"].value, gm["activity_sessions"].value) == (7 + 3 + 4, 3)
    d1_cells = compute(d1, Q1, rules=OPEN).indicators
    assert (d1_cells["activity_attendances"].value, d1_cells["activity_sessions"].value) == (
        10, 2)
    year = compute(world.areas["GM"], Period(date(2025, 1, 1), date(2025, 12, 31)),
                   rules=OPEN).indicators
    assert year["activity_attendances"].value == 14 + 50


def test_only_calendar_years_and_quarters_are_published():
    assert is_published(Period(date(2025, 1, 1), date(2025, 12, 31)))
    assert is_published(Period(date(2025, 4, 1), date(2025, 6, 30)))
    for start, end in ((date(2025, 1, 1), date(2025, 3, 30)),  # one day short of Q1
                       (date(2025, 1, 1), date(2025, 6, 30)),  # a half year
                       (date(2025, 2, 1), date(2025, 4, 30)),
                       (date(2024, 10, 1), date(2025, 3, 31))):
        assert not is_published(Period(start, end))
        with pytest.raises(ValueError):
            table_for(Period(start, end))


def test_overlapping_free_periods_would_reveal_a_cell_the_audit_proves_it():
    """Why free periods are refused: two periods protected each on its own (both pass the
    audit) but overlapping, 1 Jan-31 Mar and 1 Jan-30 Mar. Their difference is the one day
    31 March, a cell nobody published; the linprog audit over both tables together pins it."""
    rules = Rules(k=5)
    # District counts of "referred" for both periods; the 31st of March adds 1 case in A.
    long = {("M", "long"): 27, ("A", "long"): 12, ("B", "long"): 15}
    short = {("M", "short"): 26, ("A", "short"): 11, ("B", "short"): 15}
    for table in (long, short):
        relations = [Relation(next(k for k in table if k[0] == "M"),
                              tuple(k for k in table if k[0] != "M"))]
        hidden = protect(table, relations, rules)
        assert hidden == frozenset() and violations(table, relations, hidden, rules) == []
    # The attacker links them: long = short + the day in between (never published).
    counts = {**long, **short, ("A", "day"): 1, ("B", "day"): 0, ("M", "day"): 1}
    relations = [Relation(("M", p), (("A", p), ("B", p))) for p in ("long", "short", "day")]
    relations += [Relation((a, "long"), ((a, "short"), (a, "day"))) for a in "MAB"]
    day = frozenset(k for k in counts if k[1] == "day")
    bounds = audit(counts, relations, day, rules)
    assert tuple(bounds[("A", "day")]) == (1, 1)  # one person, found
    assert violations(counts, relations, day, rules)


def test_every_answer_for_2025_comes_from_one_protected_table(app, world, client, api_token,
                                                               make_user):
    """Every area and every publishable period of 2025 (the year and its quarters), as the
    API answers it: each shown count is the protected year table's cell, each hidden one is
    hidden there, and the audit over that table (linprog) passes: nothing can be derived."""
    from tests.integration.test_yearplans_api import busy_year

    busy_year(world)
    municipal = make_user("municipality", areas=(world.areas["REG"],))
    headers = api_token(municipal)
    periods = {"all": ("2025-01-01", "2025-12-31"), "Q1": ("2025-01-01", "2025-03-31"),
               "Q2": ("2025-04-01", "2025-06-30"), "Q3": ("2025-07-01", "2025-09-30"),
               "Q4": ("2025-10-01", "2025-12-31")}
    year = compute(world.areas["REG"], Period(date(2025, 1, 1), date(2025, 12, 31)))
    counts, relations, suppressed = year.disclosure
    assert violations(counts, relations, suppressed, year.rules) == []
    shown = 0
    for code, area in world.areas.items():
        for part, (start, end) in periods.items():
            body = client.get("/api/v1/reports/indicators", headers=headers, query_string={
                "area": code, "from": start, "to": end}).get_json()
            for name, cell in body["indicators"].items():
                key = (area.id, part, name)
                if key not in counts:
                    continue  # a share, median or distinct count, not a table cell
                if cell["suppressed"]:
                    assert cell["value"] is None
                else:
                    assert key not in suppressed and cell["value"] == counts[key], key
                    shown += 1
    assert shown >= 20
    # A free period is counted as the quarter around it: the same cells, never a new table.
    free = client.get("/api/v1/reports/indicators", headers=headers, query_string={
        "area": "GM", "from": "2025-01-01", "to": "2025-03-30"}).get_json()
    assert (free["from"], free["to"]) == periods["Q1"]
    assert free["asked"] == {"from": "2025-01-01", "to": "2025-03-30"}
    across = client.get("/api/v1/reports/indicators", headers=headers, query_string={
        "area": "GM", "from": "2024-10-01", "to": "2025-03-31"})
    assert across.status_code == 422 and "to" in across.get_json()["errors"]


def test_a_free_period_is_widened_on_the_dashboard_with_a_notice(app, world, make_user):
    from tests.functional.test_reporting_pages import sign_in

    municipal = make_user("municipality", areas=(world.areas["GM"],))
    page = sign_in(app, municipal).get("/rapportage/", query_string={
        "area": "GM", "from": "2025-01-01", "to": "2025-03-30"})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Cijfers gaan per kwartaal of per jaar. U ziet 1 januari 2025 tot en met " \
           "31 maart 2025; u vroeg 1 januari 2025 tot en met 30 maart 2025." in html
    assert 'value="2025-03-31"' in html  # the form shows the period counted
    plain = sign_in(app, municipal).get("/rapportage/", query_string={
        "area": "GM", "from": "2025-01-01", "to": "2025-03-31"}).get_data(as_text=True)
    assert "Cijfers gaan per kwartaal of per jaar" not in plain
    across = sign_in(app, municipal).get("/rapportage/", query_string={
        "area": "GM", "from": "2024-12-01", "to": "2025-01-31"})
    assert across.status_code == 422
    assert "Kies een periode binnen één kalenderjaar" in across.get_data(as_text=True)



def test_a_table_with_nothing_to_show_says_why(app, make_area, make_user):
    """Three requests: every count is under k or gives one away, so nothing is shown, and
    the page says why (no advice to wait: the year is over)."""
    from tests.functional.test_reporting_pages import sign_in

    make_area("R", "region")
    area = make_area("G", "municipality", parent="R", pc4=("5527",))
    for n in range(3):
        _request(area, "5527", n, solved_by="worker")
    db.session.commit()
    report = compute(area, Q1)
    assert report.nothing_shown and report.withheld is None
    page = sign_in(app, make_user("municipality", areas=(area,))).get(
        "/rapportage/", query_string={"area": "G", "from": "2025-01-01", "to": "2025-03-31"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Daarom tonen we nog geen cijfers" in html and "Cijfers van" in html
    assert "later wel cijfers" not in html
    assert 'class="entry-list stat-cards"' not in html
