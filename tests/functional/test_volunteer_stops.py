"""A volunteer stops helping before the agreed end: the support ends, the request is open
again for a worker to find someone else, the worker and the resident hear it, and why the
volunteer stopped reaches workers only."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from marketplace.brokering import services as brokering
from marketplace.brokering.models import Arrangement, Match
from marketplace.brokering.stop import REASONS, STOPPED
from marketplace.clock import now as clock_now
from marketplace.extensions import db
from marketplace.followup.models import CheckIn
from marketplace.help_requests.models import RequestEvent
from marketplace.reciprocity.models import ReciprocityInvitation
from marketplace.reciprocity.services import send_invitations
from marketplace.volunteers.forms import STOP_LABELS
from tests.functional.test_marketplace_volunteer import (  # noqa: F401  (fixtures)
    give_profile,
    isolated,
    mails_to,
    post_request,
    sign_in,
)


@pytest.fixture()
def bladel(make_area):
    make_area("RG", "region")
    area = make_area("GM1728", "municipality", parent="RG", pc4=("5531",))
    make_area("GM1728-HAPERT", "core", parent="GM1728", pc4=("5527",))
    return area


def helping(make_user, bladel):
    resident = make_user("resident", name="Riet Bakker", email="riet@example.org")
    worker = make_user("worker", areas=(bladel,), email="werker@example.org")
    vera = make_user("volunteer", name="Vera", email="vera@example.org")
    give_profile(vera)
    wanted = post_request(resident, house_number="31")
    match = brokering.propose_match(worker, wanted, vera)
    arrangement = brokering.accept(vera, match)
    db.session.commit()
    return resident, worker, vera, wanted, match, arrangement


def test_a_volunteer_stops_and_the_request_is_open_again(app, bladel, make_user, outbox_files):
    resident, worker, vera, wanted, match, arrangement = helping(make_user, bladel)
    outbox_files()  # the mails of the accept
    helper = sign_in(app, vera)
    url = f"/vrijwilliger/voorstellen/{match.id}/stoppen"
    assert url in helper.get("/vrijwilliger/afspraken").text
    assert url in helper.get(f"/vrijwilliger/voorstellen/{match.id}").text
    page = helper.get(url)
    assert page.status_code == 200 and "Wilt u stoppen met helpen?" in page.text
    assert "Riet Bakker" in page.text

    # No reason: the form says so and keeps what was typed; nothing changes.
    bad = helper.post(url, data={"note": "Ik ben ziek geworden."})
    assert bad.status_code == 200 and "Kies waarom u stopt." in bad.text
    assert "Ik ben ziek geworden." in bad.text
    db.session.refresh(arrangement)
    assert arrangement.status == "active"

    done = helper.post(url, data={"reason": "health", "note": "Ik ben ziek geworden."})
    assert done.status_code == 302 and done.headers["Location"].endswith("/vrijwilliger/afspraken")
    assert "U bent gestopt met deze hulp." in helper.get("/vrijwilliger/afspraken").text

    db.session.expire_all()
    ended = db.session.get(Arrangement, arrangement.id)
    assert ended.status == "ended" and ended.reciprocity_checked_at is not None
    # Broken-off support: no invitation to give something back, a month later either.
    send_invitations(clock_now() + timedelta(days=30))
    assert db.session.scalar(select(func.count()).select_from(ReciprocityInvitation)) == 0
    stopped = db.session.get(Match, match.id)
    assert stopped.status == "cancelled"
    assert stopped.reason == f"{STOPPED}: gezondheid. Ik ben ziek geworden."
    assert wanted.status == "open"
    last = db.session.scalars(select(RequestEvent).where(RequestEvent.request_id == wanted.id)
                              .order_by(RequestEvent.id.desc())).first()
    assert (last.from_status, last.to_status, last.actor_id, last.reason) == (
        "matched", "open", vera.id, "de vrijwilliger is gestopt")
    assert db.session.scalar(select(func.count()).select_from(CheckIn).where(
        CheckIn.arrangement_id == arrangement.id, CheckIn.closed_at.is_(None))) == 0

    # Both hear it; the mails do not say why.
    to_worker = mails_to(outbox_files, "werker@example.org")
    to_resident = mails_to(outbox_files, "riet@example.org")
    assert any("Een vrijwilliger is gestopt" in m for m in to_worker)
    assert any("Uw vrijwilliger kan niet meer helpen" in m for m in to_resident)
    assert not any("ziek" in m or "gezondheid" in m for m in to_worker + to_resident)

    # The worker reads why on the request; the resident does not.
    assert "gezondheid. Ik ben ziek geworden." in sign_in(app, worker).get(
        f"/hulpvragen/{wanted.id}").text
    own = sign_in(app, resident).get(f"/hulpvragen/{wanted.id}").text
    assert "de vrijwilliger is gestopt" in own
    assert "ziek" not in own and "gezondheid" not in own

    # The volunteer no longer sees the name and house number, and cannot stop twice.
    mine = helper.get(f"/vrijwilliger/voorstellen/{match.id}").text
    assert "Huisnummer 31" not in mine and "Riet Bakker" not in mine
    assert "U bent gestopt met deze hulp." in mine
    assert "u bent gestopt" in helper.get("/vrijwilliger/afspraken").text
    again = helper.post(url, data={"reason": "time"})
    assert again.status_code == 200 and "Deze afspraak loopt niet meer" in again.text
    assert len(mails_to(outbox_files, "werker@example.org")) == len(to_worker)

    # Someone else can take it over.
    wim = make_user("volunteer", name="Wim")
    give_profile(wim)
    next_one = brokering.accept(wim, brokering.propose_match(worker, wanted, wim))
    db.session.commit()
    assert next_one.status == "active" and wanted.status == "matched"


def test_only_the_volunteer_of_the_support_can_stop_it(app, bladel, make_user):
    resident, worker, vera, _wanted, match, arrangement = helping(make_user, bladel)
    url = f"/vrijwilliger/voorstellen/{match.id}/stoppen"
    other = make_user("volunteer", name="Wim")
    assert sign_in(app, other).get(url).status_code == 404
    assert sign_in(app, other).post(url, data={"reason": "time"}).status_code == 404
    assert sign_in(app, worker).post(url, data={"reason": "time"}).status_code == 403
    assert sign_in(app, resident).get(url).status_code == 403
    helper = sign_in(app, vera)
    assert helper.get("/vrijwilliger/voorstellen/99999999999999/stoppen").status_code == 404
    too_long = helper.post(url, data={"reason": "other", "note": "x" * 301})
    assert too_long.status_code == 200 and "hoogstens 300 tekens" in too_long.text
    assert helper.post(url, data={"reason": "bogus"}).status_code == 200
    db.session.refresh(arrangement)
    assert arrangement.status == "active"


def test_a_proposal_not_accepted_cannot_be_stopped(app, bladel, make_user):
    worker = make_user("worker", areas=(bladel,))
    vera = make_user("volunteer", name="Vera")
    give_profile(vera)
    match = brokering.propose_match(worker, post_request(make_user("resident")), vera)
    db.session.commit()
    helper = sign_in(app, vera)
    page = helper.get(f"/vrijwilliger/voorstellen/{match.id}/stoppen")
    assert page.status_code == 200 and "Deze afspraak loopt niet meer" in page.text
    refused = helper.post(f"/vrijwilliger/voorstellen/{match.id}/stoppen",
                          data={"reason": "time"})
    assert refused.status_code == 200 and "Deze afspraak loopt niet meer" in refused.text
    db.session.refresh(match)
    assert match.status == "proposed"


def test_the_form_offers_every_reason_the_service_knows():
    assert list(STOP_LABELS) == list(REASONS)


def test_through_the_api(app, bladel, make_user, api_token):
    resident, worker, vera, wanted, match, arrangement = helping(make_user, bladel)
    client = app.test_client()
    url = f"/api/v1/matches/{match.id}/stop"
    assert client.post(url, json={"reason": "time"},
                       headers=api_token(worker)).status_code == 404
    assert client.post(url, json={"reason": "time"},
                       headers=api_token(resident)).status_code == 404
    own = api_token(vera)
    missing = client.post(url, json={}, headers=own)
    assert missing.status_code == 422 and missing.mimetype == "application/problem+json"
    assert "reason" in missing.get_json()["errors"]
    unknown = client.post(url, json={"reason": "bored"}, headers=own)
    assert unknown.status_code == 422 and "reason" in unknown.get_json()["errors"]
    assert client.post(url, json={"reason": "time", "note": "x" * 301},
                       headers=own).status_code == 422
    assert client.post(url, json={"reason": ["time"]}, headers=own).status_code == 422
    db.session.refresh(arrangement)
    assert arrangement.status == "active"

    done = client.post(url, json={"reason": "moved", "note": "Ik verhuis naar Tilburg."},
                       headers=own)
    assert done.status_code == 200
    assert done.get_json() == {"id": match.id, "request_id": wanted.id, "volunteer_id": vera.id,
                               "status": "cancelled", "origin": match.origin, "awaiting": None,
                               "arrangement_id": arrangement.id}
    seen = client.get(f"/api/v1/arrangements/{arrangement.id}", headers=api_token(worker))
    assert seen.get_json()["status"] == "ended"
    assert client.get(f"/api/v1/requests/{wanted.id}",
                      headers=api_token(worker)).get_json()["status"] == "open"
    again = client.post(url, json={"reason": "moved"}, headers=own)
    assert again.status_code == 409 and again.mimetype == "application/problem+json"
