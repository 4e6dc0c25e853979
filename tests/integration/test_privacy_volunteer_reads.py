"""Least privilege for volunteers (issue 13, section 3): a volunteer reads a request, limited,
only while it fits them as the nearby list defines it (open, skill, VOG, both radii) or while
they have an open proposal or offer on it; the volunteer of the running arrangement reads it
in full; everyone else gets 404 exactly like a missing request, on the page and in the API."""

from __future__ import annotations

import pytest

from marketplace.brokering.services import accept, offer_help, propose_match
from marketplace.extensions import db
from marketplace.help_requests.access import View, view_of
from marketplace.help_requests.services import RequestInput, create_request, record_status
from marketplace.volunteers.services import ProfileInput, nearby_requests, save_profile

MISSING = 2_000_000  # an id no request has


@pytest.fixture()
def place(make_area, make_user):
    area = make_area("GM1728", pc4=("5531", "5534", "5521"))
    worker = make_user("worker", areas=(area,))
    resident = make_user("resident", name="Riek Inwoner")
    return area, worker, resident


def volunteer(make_user, *, skills=("shopping",), radius=10, postcode="5531", vog=False):
    user = make_user("volunteer")
    save_profile(user, ProfileInput(skills=list(skills), postcode=postcode, radius_km=radius,
                                    has_vog=vog, max_commitments=3))
    db.session.commit()
    return user


def ask(resident, *, postcode="5534", category="shopping", status="open"):
    request = create_request(resident, RequestInput(
        category=category, description="Ik loop slecht sinds mijn val.", postcode=postcode,
        house_number="12"), initial_status="open" if status == "open" else "new")
    db.session.commit()
    return request


def reads(client, api_token, user, request_id) -> tuple[int, int, dict | None]:
    """(API status, page status, API body) for this user."""
    answer = client.get(f"/api/v1/requests/{request_id}", headers=api_token(user))
    client.post("/inloggen", data={"email": user.email, "password": "correct horse battery"})
    page = client.get(f"/hulpvragen/{request_id}")
    client.post("/uitloggen")
    return answer.status_code, page.status_code, answer.get_json(silent=True)


def hidden(client, api_token, user, request_id) -> bool:
    """404 on page and API, with the same answer as for a request that does not exist."""
    api_status, page_status, body = reads(client, api_token, user, request_id)
    missing = client.get(f"/api/v1/requests/{MISSING}", headers=api_token(user))
    return (api_status, page_status) == (404, 404) and body == missing.get_json()


def test_a_fitting_open_request_is_read_limited(app, client, place, make_user, api_token):
    _area, _worker, resident = place
    request = ask(resident)  # 3.4 km from 5531
    near = volunteer(make_user)
    api_status, page_status, body = reads(client, api_token, near, request.id)
    assert (api_status, page_status) == (200, 200)
    assert "house_number" not in body and "Riek" not in str(body)
    assert [n.request.id for n in nearby_requests(_profile(near))] == [
        request.id]


def _profile(user):
    from marketplace.volunteers.services import get_profile

    return get_profile(user)


@pytest.mark.parametrize("who", ["other_skill", "own_radius", "request_reach", "vog"])
def test_a_request_that_does_not_fit_is_hidden(app, client, place, make_user, api_token, who):
    _area, _worker, resident = place
    if who == "other_skill":
        request, user = ask(resident), volunteer(make_user, skills=("garden",))
    elif who == "own_radius":  # 3.4 km away, the volunteer goes 2 km
        request, user = ask(resident), volunteer(make_user, radius=2)
    elif who == "request_reach":  # 7 km away: within the volunteer's 10, beyond the 5 asked
        request, user = ask(resident, postcode="5521"), volunteer(make_user, radius=10)
    else:  # companionship needs a valid VOG
        request = ask(resident, category="companionship")
        user = volunteer(make_user, skills=("companionship",))
    assert view_of(user, request) is View.NONE
    assert hidden(client, api_token, user, request.id)
    assert request.id not in [n.request.id for n in nearby_requests(_profile(user))]


def test_a_request_that_is_no_longer_open_is_hidden(app, client, place, make_user,
                                                    api_token):
    _area, worker, resident = place
    request = ask(resident)
    user = volunteer(make_user)
    record_status(request, "clarifying", actor=worker)
    db.session.commit()
    assert hidden(client, api_token, user, request.id)


def test_open_proposal_and_offer_are_read_limited_even_without_fitting(
        app, client, place, make_user, api_token):
    _area, worker, resident = place
    request = ask(resident)
    proposed = volunteer(make_user, skills=("garden", "shopping"), radius=2)
    propose_match(worker, request, proposed)
    db.session.commit()
    assert view_of(proposed, request) is View.LIMITED
    api_status, page_status, body = reads(client, api_token, proposed, request.id)
    assert (api_status, page_status) == (200, 200) and "house_number" not in body
    # An offer made while it fitted stays readable when the request leaves the list.
    offering = volunteer(make_user)
    offer_help(offering, request)
    record_status(request, "clarifying", actor=worker)
    db.session.commit()
    assert view_of(offering, request) is View.LIMITED


def test_the_arrangement_volunteer_reads_in_full_and_the_others_nothing(
        app, client, place, make_user, api_token):
    _area, worker, resident = place
    request = ask(resident)
    helper, other = volunteer(make_user), volunteer(make_user)
    match = propose_match(worker, request, helper)
    propose_match(worker, request, other)
    accept(helper, match)
    db.session.commit()
    api_status, page_status, body = reads(client, api_token, helper, request.id)
    assert (api_status, page_status) == (200, 200) and body["house_number"] == "12"
    # Proposal cancelled because someone else took it: nothing any more.
    assert view_of(other, request) is View.NONE
    assert hidden(client, api_token, other, request.id)


def test_the_page_of_a_cancelled_proposal_shows_nothing_of_the_request(
        app, client, place, make_user):
    _area, worker, resident = place
    request = ask(resident)
    helper = volunteer(make_user)
    other = volunteer(make_user, skills=("garden",))  # proposed though it does not fit
    match = propose_match(worker, request, helper)
    passed_over = propose_match(worker, request, other)
    db.session.commit()
    client.post("/inloggen", data={"email": other.email, "password": "correct horse battery"})
    page = client.get(f"/vrijwilliger/voorstellen/{passed_over.id}").get_data(as_text=True)
    assert "Ik loop slecht" in page  # open proposal: limited view
    accept(helper, match)
    db.session.commit()
    page = client.get(f"/vrijwilliger/voorstellen/{passed_over.id}").get_data(as_text=True)
    assert "Dit voorstel is niet meer nodig." in page and "Ik loop slecht" not in page
