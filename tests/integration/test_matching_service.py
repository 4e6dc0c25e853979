"""The adapter: indexed candidates + loaders -> core ranking -> the API's JSON shape."""

from __future__ import annotations

from datetime import date, timedelta

from flask_migrate import upgrade
from sqlalchemy import insert, select, text

from marketplace.accounts.models import User
from marketplace.extensions import db
from marketplace.geo import default_gazetteer, distance_km
from marketplace.matching import index
from marketplace.matching.core import MatchRequest, NetworkMember
from marketplace.matching.models import MatchingIndexEntry
from marketplace.matching.service import (
    CandidateSources,
    SearchOptions,
    candidates_payload,
    find_candidates,
    propose_assignments,
)
from marketplace.matching.sources import marketplace_sources, match_request_for

DAY = date(2026, 6, 1)
LAT, LON = 52.09, 5.12


def _users(n):
    db.session.execute(insert(User), [{"id": i, "name": f"V{i}"} for i in range(1, n + 1)])
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("SELECT setval(pg_get_serial_sequence('user', 'id'), :n)"),
                           {"n": n})


def _volunteer(uid, east_km, **kw):
    values = dict(user_id=uid, lat=LAT, lon=LON + east_km / 68.6, radius_km=10.0,
                  categories=["shopping"], has_vog=False, vog_valid_until=None, paused=False,
                  active_commitments=0, max_commitments=2)
    values.update(kw)
    index.upsert_volunteer(**values)


def test_find_candidates_network_first_helpers_beyond_the_pool_and_payload(app):
    _users(6)
    for uid in range(1, 6):
        _volunteer(uid, 0.5 * uid)
    _volunteer(6, 1.0, paused=True)
    request = MatchRequest(1, "shopping", LAT, LON, 5.0, DAY, slots={"tue_morning"},
                           resident_id=99)
    sources = CandidateSources(
        availability=lambda ids: {2: {"tue_morning", "fri_evening"}},
        previous_helpers=lambda resident: {5} if resident == 99 else set(),
        network=lambda resident: [NetworkMember("Ans", "neighbour", {"shopping"}),
                                  NetworkMember("Bram", "family", {"garden"})],
        pronouns=lambda ids: {1: "haar"},
    )
    ranking = find_candidates(request, sources, SearchOptions(limit=3, pool=2))
    assert [m.name for m in ranking.network] == ["Ans"]
    # Volunteer 5 is the furthest (2.5 km) and outside the pool of the 2 nearest, but helped
    # this resident before: looked up by id, and continuity lifts them above volunteer 1.
    # Volunteer 2 is free at the wanted day part and stays first.
    assert [c.user_id for c in ranking.candidates] == [2, 5, 1]
    payload = candidates_payload(ranking)
    assert payload["network"] == [{"name": "Ans", "relation": "neighbour",
                                   "can_help": ["shopping"]}]
    second, first, third = payload["candidates"]
    assert set(first) == {"volunteer_id", "score", "distance_km", "reasons", "reason_codes"}
    assert first["volunteer_id"] == 5 and first["distance_km"] == 2.5
    assert "hielp deze bewoner eerder" in first["reasons"]
    assert second["reasons"][:1] == ["1 km, binnen de straal"]
    assert "beschikbaar di-ochtend" in second["reasons"]
    assert third["reasons"][0] == "0,5 km, binnen haar straal"
    assert second["score"] > first["score"] > third["score"]
    assert first["reason_codes"][0] == {"code": "distance", "params": {"km": 2.5,
                                                                      "pronoun": None}}


def test_weights_come_from_configuration(app):
    _users(2)
    _volunteer(1, 0.5, active_commitments=1)  # near but busy
    _volunteer(2, 3.0)  # far but free
    request = MatchRequest(1, "shopping", LAT, LON, 5.0, DAY)
    assert [c.user_id for c in find_candidates(request).candidates] == [1, 2]
    app.config["MATCHING_WEIGHTS"] = {"distance": 0.0}
    try:
        assert [c.user_id for c in find_candidates(request).candidates] == [2, 1]
    finally:
        del app.config["MATCHING_WEIGHTS"]


def test_batch_proposal_from_the_index(app):
    _users(3)
    _volunteer(1, 1.0, max_commitments=1)
    _volunteer(2, -2.0, max_commitments=1)
    _volunteer(3, 40.0)  # far away: never loaded into the problem's pairs
    requests = [MatchRequest(10, "shopping", LAT, LON, 5.0, DAY),
                MatchRequest(11, "shopping", LAT, LON + 2.5 / 68.6, 1.6, DAY)]
    optimal = propose_assignments(requests)
    greedy = propose_assignments(requests, method="greedy")
    assert {(m.request_id, m.user_id) for m in optimal.matches} == {(10, 2), (11, 1)}
    assert greedy.matched == 1


def _nearby_pc4s(pc4, n):
    gazetteer = default_gazetteer()
    home = gazetteer.require(pc4)
    others = sorted((distance_km(home.lat, home.lon, p.lat, p.lon), p.pc4) for p in gazetteer
                    if p.pc4 != pc4)
    return [code for km, code in others if km < 8][:n]


def test_the_marketplace_tables_plug_in(app, make_user, make_area):
    from marketplace.brokering.models import Arrangement, Match
    from marketplace.help_requests.services import RequestInput, create_request
    from marketplace.residents.services import save_member
    from marketplace.volunteers.services import (
        ProfileInput,
        get_profile,
        save_profile,
        sync_matching_index,
    )

    make_area("GM1728", "municipality", pc4=("5531",))
    resident = make_user("resident")
    near = _nearby_pc4s("5531", 3)
    vols = []
    for i, pc4 in enumerate(near):
        volunteer = make_user("volunteer")
        save_profile(volunteer, ProfileInput(
            skills=["shopping"], postcode=pc4, radius_km=10, max_commitments=2,
            availability=["tue_morning"] if i == 0 else [], languages=["nl", "tr"]))
        vols.append(volunteer)
    save_member(resident, name="Joke", relation="neighbour", can_help=["shopping"])
    earlier = create_request(resident, RequestInput(
        category="shopping", description="Boodschappen op dinsdag", postcode="5531",
        house_number="12"))
    # The last volunteer helped this resident before (rows as brokering writes them).
    match = Match(request_id=earlier.id, volunteer_id=vols[-1].id, status="accepted",
                  origin="worker")
    db.session.add(match)
    db.session.flush()
    db.session.add(Arrangement(request_id=earlier.id, match_id=match.id,
                               volunteer_id=vols[-1].id, status="active", started_on=DAY,
                               planned_end_on=DAY + timedelta(weeks=12)))
    db.session.flush()
    sync_matching_index(get_profile(vols[-1]))
    db.session.commit()
    assert db.session.scalar(select(MatchingIndexEntry.active_commitments).where(
        MatchingIndexEntry.user_id == vols[-1].id)) == 1

    again = create_request(resident, RequestInput(
        category="shopping", description="Weer boodschappen graag", postcode="5531",
        house_number="12"))
    request = match_request_for(again, today=DAY)
    assert request.resident_id == resident.id and not request.needs_vog
    ranking = find_candidates(request, marketplace_sources())
    assert [m.name for m in ranking.network] == ["Joke"]
    texts = {c.user_id: c.reason_texts() for c in ranking.candidates}
    assert set(texts) == {v.id for v in vols}
    assert "hielp deze bewoner eerder" in texts[vols[-1].id]
    assert ranking.candidates[0].user_id == vols[-1].id


def test_wanted_day_parts_of_a_request_rank_and_explain(app, make_user, make_area):
    from marketplace.help_requests.services import RequestInput, create_request
    from marketplace.volunteers.services import ProfileInput, save_profile

    make_area("GM1728", "municipality", pc4=("5531",))
    resident = make_user("resident")
    # Two volunteers alike in all but their day parts (one postcode, skills, capacity).
    available, other = make_user("volunteer"), make_user("volunteer")
    for volunteer, slots in ((other, ["sat_evening"]), (available, ["tue_morning", "fri_evening"])):
        save_profile(volunteer, ProfileInput(
            skills=["shopping"], postcode="5531", radius_km=10, max_commitments=2,
            availability=slots, languages=["nl"]))
    help_request = create_request(resident, RequestInput(
        category="shopping", description="Boodschappen op dinsdagochtend", postcode="5531",
        house_number="12"))
    help_request.day_parts = ["tue_morning", "wed_afternoon"]
    db.session.commit()

    request = match_request_for(db.session.get(type(help_request), help_request.id), today=DAY)
    assert request.slots == {"tue_morning", "wed_afternoon"}
    ranking = find_candidates(request, marketplace_sources())
    assert [c.user_id for c in ranking.candidates] == [available.id, other.id]
    texts = {c.user_id: c.reason_texts() for c in ranking.candidates}
    assert "beschikbaar di-ochtend" in texts[available.id]
    assert not any(t.startswith("beschikbaar") for t in texts[other.id])
    assert "niet beschikbaar op de gevraagde dagdelen" in texts[other.id]

    # No day parts: flexible, so neither is told apart by availability.
    help_request.day_parts = None
    db.session.commit()
    assert match_request_for(help_request, today=DAY).slots == frozenset()


def test_migration_indexes_volunteers_that_already_exist(fresh_app):
    upgrade(revision="0002_marketplace")
    db.session.execute(text(
        "INSERT INTO \"user\" (id, name, is_active, created_at, updated_at) "
        "VALUES (1, 'Ria', :t, :now, :now), (2, 'Piet', :t, :now, :now)"),
        {"t": True, "now": DAY})
    db.session.execute(text(
        "INSERT INTO volunteer_profile (user_id, home_pc4, lat, lon, radius_km, has_vog, "
        "vog_valid_until, languages, max_commitments, paused_until, wants_digest, created_at, "
        "updated_at) VALUES "
        "(1, '5531', 51.35, 5.22, 7.5, :t, :until, '[\"nl\"]', 2, NULL, :t, :now, :now), "
        "(2, '5531', 51.35, 5.22, 5, :f, NULL, '[\"nl\"]', 1, :paused, :t, :now, :now)"),
        {"t": True, "f": False, "until": DAY, "paused": date.today() + timedelta(days=30),
         "now": DAY})
    db.session.execute(text(
        "INSERT INTO volunteer_skill (user_id, category) VALUES "
        "(1, 'shopping'), (1, 'garden'), (2, 'pets')"))
    db.session.commit()
    upgrade()
    rows = db.session.execute(select(
        MatchingIndexEntry.user_id, MatchingIndexEntry.category, MatchingIndexEntry.lat_cell,
        MatchingIndexEntry.radius_km, MatchingIndexEntry.paused, MatchingIndexEntry.has_vog,
        MatchingIndexEntry.vog_valid_until,
    ).order_by(MatchingIndexEntry.user_id, MatchingIndexEntry.category)).all()
    assert [tuple(r) for r in rows] == [
        (1, "garden", 5135, 7.5, False, True, DAY),
        (1, "shopping", 5135, 7.5, False, True, DAY),
        (2, "pets", 5135, 5.0, True, False, None),
    ]
