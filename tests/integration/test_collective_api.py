"""API of handovers and collective solutions (CONTRACT.md "Associations and activities"):
shapes, statuses, 404 for those who may not see, 422 per field, 409 for what cannot be."""

from __future__ import annotations

from datetime import UTC, timedelta

import pytest

from marketplace.associations.models import Activity
from marketplace.clock import now as clock_now
from marketplace.clock import today
from marketplace.extensions import db
from marketplace.help_requests.models import HelpRequest

PROBLEM = "application/problem+json"


def _future(days: int = 7) -> str:
    moment = (clock_now() + timedelta(days=days)).replace(hour=18, minute=0, second=0,
                                                           microsecond=0)
    return moment.astimezone(UTC).isoformat()


@pytest.fixture()
def world(make_area, make_user, api_token, client):
    area = make_area("GM1728", "municipality", pc4=("5531", "5541"))
    other = make_area("GM0861", "municipality", pc4=("5521",))
    worker = make_user("worker", areas=(area,))
    other_worker = make_user("worker", areas=(other,))
    board = make_user("association", name="Bestuurder Bea")
    outsider = make_user("association")
    resident = make_user("resident", name="Inwoner Ida")
    people = {"worker": worker, "other_worker": other_worker, "board": board,
              "outsider": outsider, "resident": resident}
    h = {k: api_token(v) for k, v in people.items()}
    assoc = client.post("/api/v1/associations", headers=h["worker"],
                        json={"name": "Bewonersgroep De Linde", "postcode": "5531"}).get_json()
    assert client.post(f"/api/v1/associations/{assoc['id']}/members", headers=h["worker"],
                       json={"user_id": board.id}).status_code == 201
    return {"area": area, "h": h, "association_id": assoc["id"], **people}


def _welfare_activity(client, world, **extra) -> int:
    body = {"title": "Soepmiddag", "category": "meals", "description": "Samen eten",
            "postcode": "5531", "venue": "Dorpshuis", "starts_at": _future(),
            "recurrence": "weekly", "capacity": 10, "accessible": True}
    body.update(extra)
    response = client.post("/api/v1/activities", headers=world["h"]["worker"], json=body)
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["run_by"] == "welfare"
    return response.get_json()["id"]


def _handover(client, world, activity_id, headers=None, **extra):
    body = {"association_id": world["association_id"],
            "transition_ends_on": (today() + timedelta(days=30)).isoformat(),
            "checklist": {"volunteers": True, "coordinator": True, "money": False,
                          "venue": True}}
    body.update(extra)
    return client.post(f"/api/v1/activities/{activity_id}/handover",
                       headers=headers or world["h"]["worker"], json=body)


def test_handover_created_seen_by_worker_and_members_only(client, world):
    activity_id = _welfare_activity(client, world)
    response = _handover(client, world, activity_id)
    assert response.status_code == 201, response.get_json()
    created = response.get_json()
    assert created["status"] == "in_transition" and isinstance(created["id"], int)
    url = f"/api/v1/handovers/{created['id']}"
    for who in ("worker", "board"):
        got = client.get(url, headers=world["h"][who])
        assert got.status_code == 200
        body = got.get_json()
        assert set(body) >= {"id", "activity_id", "association_id", "status", "checks"}
        assert body["activity_id"] == activity_id
        assert body["association_id"] == world["association_id"]
        assert body["checklist"] == {"volunteers": True, "coordinator": True, "money": False,
                                     "venue": True}
        ends = today() + timedelta(days=30)
        assert [c["due_on"] for c in body["checks"]] == [
            _add_months(ends, 3).isoformat(), _add_months(ends, 12).isoformat()]
        assert all(c["asked_at"] is None and c["answer"] is None for c in body["checks"])
    for who in ("outsider", "resident", "other_worker"):
        missing = client.get(url, headers=world["h"][who])
        assert missing.status_code == 404 and missing.content_type == PROBLEM
    assert client.get("/api/v1/handovers/999999", headers=world["h"]["worker"]).status_code == 404
    # Still welfare-run during the transition.
    activity = client.get(f"/api/v1/activities/{activity_id}", headers=world["h"]["worker"])
    assert activity.get_json()["run_by"] == "welfare"


def _add_months(day, months):
    from marketplace.associations.handover import add_months

    return add_months(day, months)


def test_handover_bad_input(client, world):
    activity_id = _welfare_activity(client, world)
    past = _handover(client, world, activity_id,
                     transition_ends_on=(today() - timedelta(days=1)).isoformat())
    assert past.status_code == 422 and "transition_ends_on" in past.get_json()["errors"]
    unknown = _handover(client, world, activity_id, association_id=999999)
    assert unknown.status_code == 422 and "association_id" in unknown.get_json()["errors"]
    missing = client.post(f"/api/v1/activities/{activity_id}/handover",
                          headers=world["h"]["worker"], json={})
    assert missing.status_code == 422
    assert {"association_id", "transition_ends_on"} <= set(missing.get_json()["errors"])
    wrong_types = _handover(client, world, activity_id, transition_ends_on="morgen",
                            checklist={"money": "ja", "cake": True})
    assert wrong_types.status_code == 422
    assert {"transition_ends_on", "checklist"} <= set(wrong_types.get_json()["errors"])
    for body in ([], "x", 5):
        assert client.post(f"/api/v1/activities/{activity_id}/handover",
                           headers=world["h"]["worker"], json=body).status_code in (400, 422)
    # Another area's worker and a missing activity: 404; not a worker: 403.
    assert _handover(client, world, activity_id,
                     headers=world["h"]["other_worker"]).status_code == 404
    assert _handover(client, world, 999999).status_code == 404
    assert _handover(client, world, activity_id, headers=world["h"]["board"]).status_code == 403
    # Handed over already (in transition), or run by an association: 409.
    assert _handover(client, world, activity_id).status_code == 201
    assert _handover(client, world, activity_id).status_code == 409
    own = client.post("/api/v1/activities", headers=world["h"]["board"], json={
        "association_id": world["association_id"], "title": "Breiclub", "category": "other",
        "description": "Breien", "postcode": "5531", "venue": "Dorpshuis",
        "starts_at": _future(), "accessible": False}).get_json()
    assert _handover(client, world, own["id"]).status_code == 409


def test_transition_end_today_hands_over_at_once(client, world):
    activity_id = _welfare_activity(client, world)
    created = _handover(client, world, activity_id,
                        transition_ends_on=today().isoformat()).get_json()
    assert created["status"] == "handed_over"
    activity = client.get(f"/api/v1/activities/{activity_id}", headers=world["h"]["resident"])
    assert activity.get_json()["run_by"] == "association"


def test_check_answers(client, world):
    activity_id = _welfare_activity(client, world)
    created = _handover(client, world, activity_id).get_json()
    url = f"/api/v1/handovers/{created['id']}/check"
    assert client.post(url, headers=world["h"]["outsider"], json={"running": True}).status_code \
        == 404
    bad = client.post(url, headers=world["h"]["board"], json={"running": "ja", "note": 5})
    assert bad.status_code == 422 and {"running", "note"} <= set(bad.get_json()["errors"])
    ok = client.post(url, headers=world["h"]["board"], json={"running": True, "note": "Loopt"})
    assert ok.status_code == 200
    assert ok.get_json()["status"] == "still_running"
    stopped = client.post(url, headers=world["h"]["worker"], json={"running": False})
    body = stopped.get_json()
    assert stopped.status_code == 200 and body["status"] == "stopped"
    # The answer is recorded as today's check; questions not asked yet are dropped.
    assert [c["answer"] for c in body["checks"]] == [False]


def _open_requests(client, make_user, api_token, n, *, category="meals", postcode="5531"):
    ids = []
    for k in range(n):
        resident = make_user("resident", name=f"Buur {k}")
        response = client.post("/api/v1/requests", headers=api_token(resident), json={
            "category": category, "description": "Warme maaltijd, ik kook niet meer zelf.",
            "postcode": postcode, "house_number": str(10 + k)})
        assert response.status_code == 201, response.get_json()
        ids.append(response.get_json()["id"])
    db.session.execute(db.update(HelpRequest).where(HelpRequest.id.in_(ids))
                       .values(status="open"))
    db.session.commit()
    return ids


def test_clusters_shape_and_access(client, world, make_user, api_token):
    ids = _open_requests(client, make_user, api_token, 5)
    _open_requests(client, make_user, api_token, 2, category="garden")
    activity_id = _welfare_activity(client, world)
    response = client.get("/api/v1/clusters?area=GM1728", headers=world["h"]["worker"])
    assert response.status_code == 200
    assert response.get_json() == [{"category": "meals", "count": 5, "request_ids": sorted(ids),
                                    "centre_pc4": "5531",
                                    "suggested_activity_ids": [activity_id]}]
    for who, query in (("other_worker", "GM1728"), ("resident", "GM1728"), ("board", "GM1728"),
                       ("worker", "NOPE"), ("worker", "")):
        got = client.get(f"/api/v1/clusters?area={query}", headers=world["h"][who])
        assert got.status_code == 404 and got.content_type == PROBLEM
    assert client.get("/api/v1/clusters", headers=world["h"]["worker"]).status_code == 404
    assert client.get("/api/v1/clusters?area=GM0861",
                      headers=world["h"]["other_worker"]).get_json() == []


def test_solve_collectively(client, world, make_user, api_token):
    (request_id,) = _open_requests(client, make_user, api_token, 1)
    activity_id = _welfare_activity(client, world, capacity=1)
    url = f"/api/v1/requests/{request_id}/solve-collectively"
    h = world["h"]
    assert client.post(url, headers=h["other_worker"],
                       json={"activity_id": activity_id}).status_code == 404
    assert client.post("/api/v1/requests/999999/solve-collectively", headers=h["worker"],
                       json={"activity_id": activity_id}).status_code == 404
    assert client.post(url, headers=h["board"],
                       json={"activity_id": activity_id}).status_code == 403
    for body in ({}, {"activity_id": "x"}, {"activity_id": 999999}):
        bad = client.post(url, headers=h["worker"], json=body)
        assert bad.status_code == 422 and "activity_id" in bad.get_json()["errors"], body
    ok = client.post(url, headers=h["worker"], json={"activity_id": activity_id})
    assert ok.status_code == 200, ok.get_json()
    body = ok.get_json()
    assert body["id"] == request_id and body["status"] == "closed"
    assert body["solved_by"] == "activity"
    activity = db.session.get(Activity, activity_id)
    assert [(s.user_id, s.status) for s in activity.signups] == [
        (db.session.get(HelpRequest, request_id).owner_id, "registered")]
    # Closed already: 409. The activity is now full: another request gets 409, unchanged.
    assert client.post(url, headers=h["worker"], json={"activity_id": activity_id}).status_code \
        == 409
    (second,) = _open_requests(client, make_user, api_token, 1)
    full = client.post(f"/api/v1/requests/{second}/solve-collectively", headers=h["worker"],
                       json={"activity_id": activity_id})
    assert full.status_code == 409
    db.session.expire_all()
    assert db.session.get(HelpRequest, second).status == "open"
    assert len([s for s in db.session.get(Activity, activity_id).signups]) == 1


def _statements(fn):
    from sqlalchemy import event

    sent = []

    def listener(conn, cursor, statement, *rest):
        sent.append(statement)

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        result = fn()
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    return result, sent


def test_clusters_cost_the_same_queries_for_more_requests(client, world, make_user, api_token):
    from marketplace.associations.collective import clusters_for_area

    _welfare_activity(client, world)
    _open_requests(client, make_user, api_token, 5)
    db.session.expire_all()
    small, few = _statements(lambda: clusters_for_area(world["area"]))
    _open_requests(client, make_user, api_token, 10)
    _open_requests(client, make_user, api_token, 6, category="garden")
    db.session.expire_all()
    large, more = _statements(lambda: clusters_for_area(world["area"]))
    assert [c.count for c in small] == [5]
    assert sorted(c.count for c in large) == [6, 15]
    # Never one query per request or cluster: the same statements for 5 or 21 requests,
    # two for the requests (what set is waiting; it changed, so the rows) and one for the
    # activities of every cluster together.
    assert len(few) == len(more), more
    assert sum("FROM help_request" in q for q in more) == 2
    assert sum("FROM activity" in q for q in more) == 1
    # The same set again: the clusters are kept, only the set is asked for.
    again, kept = _statements(lambda: clusters_for_area(world["area"]))
    assert again == large
    assert sum("FROM help_request" in q for q in kept) == 1


def test_kept_clusters_follow_every_change_of_the_set(client, world, make_user, api_token):
    """The clusters a process keeps are found again when a request comes, goes or moves."""
    from marketplace.associations.collective import clusters_for_area

    _open_requests(client, make_user, api_token, 5)
    db.session.expire_all()
    first = clusters_for_area(world["area"])
    assert [c.count for c in first] == [5]
    _open_requests(client, make_user, api_token, 1)  # one more comes
    db.session.expire_all()
    assert [c.count for c in clusters_for_area(world["area"])] == [6]
    gone = db.session.get(HelpRequest, first[0].request_ids[0])
    gone.status = "closed"  # one goes (and one is no longer waiting)
    db.session.commit()
    assert [c.count for c in clusters_for_area(world["area"])] == [5]
    moved = db.session.get(HelpRequest, first[0].request_ids[1])
    moved.category = "garden"  # one changes kind: four of a kind is no group of five
    db.session.commit()
    assert clusters_for_area(world["area"]) == []
