"""The worker keeps the network of a resident of their area: a resident who tells it at the
kitchen table, or has no login, still gets their own people first. Changes are audited; a
worker of another area, and any other role, cannot reach it."""

from __future__ import annotations

from sqlalchemy import select

from marketplace.accounts.models import AuditEvent
from marketplace.extensions import db
from marketplace.residents.models import NetworkMember
from marketplace.residents.services import save_member
from tests.functional.test_casework_access import sign_in, two_areas  # noqa: F401 (fixture)

FORM = {"name": "Anna", "relation": "neighbour", "can_help": ["shopping"],
        "cannot_help": "Niet in het weekend"}


def test_worker_adds_someone_and_the_request_shows_them_first(app, two_areas):  # noqa: F811
    w = two_areas
    rid, request_id = w["resident"].id, w["request"].id
    browser = sign_in(app, w["worker"])
    page = browser.get(f"/hulpvragen/{request_id}").text
    assert f"/dossier/{rid}/netwerk?hulpvraag={request_id}" in page.replace("&amp;", "&")
    assert browser.get(f"/dossier/{rid}/netwerk").status_code == 200
    saved = browser.post(f"/dossier/{rid}/netwerk?hulpvraag={request_id}", data=FORM)
    assert saved.status_code == 302
    assert saved.headers["Location"].endswith(f"/hulpvragen/{request_id}#netwerk")
    member = db.session.scalars(select(NetworkMember)).one()
    assert (member.resident_id, member.name, member.can_help) == (rid, "Anna", ["shopping"])
    # The request page puts Anna first, as for a network the resident entered.
    panel = browser.get(f"/hulpvragen/{request_id}").text
    first = panel.index('id="netwerk-titel"')
    assert "Anna (buren)" in panel[first:panel.index('id="kandidaten-titel"')]
    # The resident sees her in their own network.
    assert "Anna" in sign_in(app, w["resident"]).get("/mijn-netwerk/").text
    # Changed and removed; each change is in the audit trail about the resident.
    edit = f"/dossier/{rid}/netwerk/{member.id}/wijzigen"
    assert 'value="Anna"' in browser.get(edit).text
    assert browser.post(edit, data={**FORM, "name": "Anna de Wit"}).status_code == 302
    assert "Anna de Wit" in browser.get(f"/dossier/{rid}/netwerk").text
    remove = f"/dossier/{rid}/netwerk/{member.id}/verwijderen"
    assert "Anna de Wit uit het netwerk" in browser.get(remove).text
    assert browser.post(remove).status_code == 302
    assert db.session.scalars(select(NetworkMember)).all() == []
    changes = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "network.changed", AuditEvent.subject_user_id == rid)
        .order_by(AuditEvent.id)).all()
    assert [(e.detail["change"], e.actor_user_id) for e in changes] == [
        ("added", w["worker"].id), ("changed", w["worker"].id), ("removed", w["worker"].id)]


def test_bad_input_keeps_what_was_typed(app, two_areas):  # noqa: F811
    w = two_areas
    browser = sign_in(app, w["worker"])
    url = f"/dossier/{w['resident'].id}/netwerk"
    bad = browser.post(url, data={**FORM, "name": "", "relation": "cousin"})
    assert bad.status_code == 422
    assert "Vul een naam in" in bad.text and "Niet in het weekend" in bad.text
    assert db.session.scalars(select(NetworkMember)).all() == []


def test_only_workers_of_the_area_reach_the_network(app, two_areas, make_user):  # noqa: F811
    w = two_areas
    rid = w["resident"].id
    mine = save_member(w["resident"], name="Bert", relation="family", can_help=[])
    stranger = make_user("resident")
    theirs = save_member(stranger, name="Cor", relation="friend", can_help=[])
    db.session.commit()
    urls = [f"/dossier/{rid}/netwerk", f"/dossier/{rid}/netwerk/{mine.id}/wijzigen",
            f"/dossier/{rid}/netwerk/{mine.id}/verwijderen"]
    outsider = sign_in(app, w["other"])
    for url in urls:
        for method in ("GET", "POST"):
            assert outsider.open(url, method=method, data=FORM).status_code == 404, url
    for role in ("resident", "volunteer"):
        browser = sign_in(app, w[role])
        assert all(browser.get(url).status_code == 403 for url in urls)
    # Someone in another resident's network is not in this one.
    insider = sign_in(app, w["worker"])
    for url in (f"/dossier/{rid}/netwerk/{theirs.id}/wijzigen",
                f"/dossier/{rid}/netwerk/{theirs.id}/verwijderen",
                f"/dossier/{rid}/netwerk/99999999999/wijzigen"):
        assert insider.get(url).status_code == 404, url
        assert insider.post(url, data=FORM).status_code == 404, url
    assert db.session.get(NetworkMember, theirs.id).name == "Cor"
    assert db.session.get(NetworkMember, mine.id).name == "Bert"
