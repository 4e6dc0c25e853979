"""The volunteer read rule as a matrix (issue 13, section 3): situation × route → answer.

The role × route matrix (test_security_matrix.py) points every route at one object; whether
a volunteer may read a request depends on the situation, so the rule gets its own table.
Each SITUATION builds a volunteer and a request in that state and names the view the rule
gives (help_requests.access): NONE, LIMITED (no name, no house number) or FULL. Every route
that shows or acts on a request for a volunteer is then asked, on both databases:

- NONE: the page, the API, the offer and the message routes answer 404 exactly as for a
  request that does not exist, and the proposal page shows nothing of the request;
- LIMITED: page and API answer 200 with the description, without the resident's name or
  house number;
- FULL: page and API show the house number and the resident's name.

The object-by-object tests of the same rule: tests/integration/test_privacy_volunteer_reads.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from marketplace.brokering.services import accept, offer_help, propose_match
from marketplace.extensions import db
from marketplace.help_requests.access import View, view_of
from marketplace.help_requests.services import RequestInput, create_request, record_status
from marketplace.volunteers.services import ProfileInput, save_profile

MISSING = 2_000_000  # an id no request has
STORY = "Ik loop slecht sinds mijn val."
HOUSE_NUMBER = "417"
RESIDENT_NAME = "Riek Verborgen"
PASSWORD = "correct horse battery"


@dataclass
class Case:
    volunteer: Any
    request: Any
    match: Any = None  # the volunteer's proposal or offer, when the situation has one


@dataclass
class Place:
    worker: Any
    resident: Any
    make_user: Callable[..., Any]

    def volunteer(self, *, skills=("shopping",), radius=10, postcode="5531", vog=False):
        user = self.make_user("volunteer")
        save_profile(user, ProfileInput(skills=list(skills), postcode=postcode, radius_km=radius,
                                        has_vog=vog, max_commitments=3))
        return user

    def ask(self, *, postcode="5534", category="shopping"):  # 5534: 3.4 km from 5531
        return create_request(self.resident, RequestInput(
            category=category, description=STORY, postcode=postcode,
            house_number=HOUSE_NUMBER), initial_status="open")


def fits(p: Place) -> Case:
    return Case(p.volunteer(), p.ask())


def other_skill(p: Place) -> Case:
    return Case(p.volunteer(skills=("garden",)), p.ask())


def beyond_own_radius(p: Place) -> Case:
    return Case(p.volunteer(radius=2), p.ask())


def beyond_request_reach(p: Place) -> Case:  # 7 km: within the volunteer's 10, not the 5 asked
    return Case(p.volunteer(radius=10), p.ask(postcode="5521"))


def needs_vog(p: Place) -> Case:
    return Case(p.volunteer(skills=("companionship",)), p.ask(category="companionship"))


def no_longer_open(p: Place) -> Case:
    case = fits(p)
    record_status(case.request, "clarifying", actor=p.worker)
    return case


def open_proposal_not_fitting(p: Place) -> Case:
    request, user = p.ask(), p.volunteer(skills=("garden",), radius=2)
    return Case(user, request, propose_match(p.worker, request, user))


def open_offer_request_no_longer_open(p: Place) -> Case:
    case = fits(p)
    case.match = offer_help(case.volunteer, case.request)
    record_status(case.request, "clarifying", actor=p.worker)
    return case


def running_arrangement(p: Place) -> Case:
    case = fits(p)
    case.match = propose_match(p.worker, case.request, case.volunteer)
    accept(case.volunteer, case.match)
    return case


def proposal_cancelled_someone_else_helps(p: Place) -> Case:
    request, helper, user = p.ask(), p.volunteer(), p.volunteer()
    taken = propose_match(p.worker, request, helper)
    passed_over = propose_match(p.worker, request, user)
    accept(helper, taken)
    return Case(user, request, passed_over)


SITUATIONS: dict[str, tuple[Callable[[Place], Case], View]] = {
    "fits: open, skill, within both radii": (fits, View.LIMITED),
    "another skill": (other_skill, View.NONE),
    "beyond the volunteer's radius": (beyond_own_radius, View.NONE),
    "beyond the request's reach": (beyond_request_reach, View.NONE),
    "needs a VOG the volunteer lacks": (needs_vog, View.NONE),
    "no longer open": (no_longer_open, View.NONE),
    "open proposal, does not fit": (open_proposal_not_fitting, View.LIMITED),
    "open offer, request no longer open": (open_offer_request_no_longer_open, View.LIMITED),
    "volunteer of the running arrangement": (running_arrangement, View.FULL),
    "proposal cancelled, someone else helps": (proposal_cancelled_someone_else_helps, View.NONE),
}


@pytest.fixture()
def place(make_area, make_user) -> Place:
    area = make_area("GM1728", pc4=("5531", "5534", "5521"))
    worker = make_user("worker", areas=(area,))
    resident = make_user("resident", name=RESIDENT_NAME)
    return Place(worker, resident, make_user)


def sign_in(client, user) -> None:
    client.post("/inloggen", data={"email": user.email, "password": PASSWORD})


@pytest.mark.parametrize("situation", list(SITUATIONS))
def test_volunteer_reads_a_request_only_as_the_rule_allows(app, client, place, api_token,
                                                           situation):
    build, expected = SITUATIONS[situation]
    case = build(place)
    db.session.commit()
    assert view_of(case.volunteer, case.request) is expected, "the rule itself"
    rid, token = case.request.id, api_token(case.volunteer)

    api = client.get(f"/api/v1/requests/{rid}", headers=token)
    sign_in(client, case.volunteer)
    page = client.get(f"/hulpvragen/{rid}")
    text = page.get_data(as_text=True)
    proposal = (client.get(f"/vrijwilliger/voorstellen/{case.match.id}").get_data(as_text=True)
                if case.match is not None else None)

    if expected is View.NONE:
        missing_api = client.get(f"/api/v1/requests/{MISSING}", headers=token)
        assert (api.status_code, api.get_json()) == (404, missing_api.get_json())
        assert page.status_code == 404 == client.get(f"/hulpvragen/{MISSING}").status_code
        assert STORY not in text
        offer_api = client.post(f"/api/v1/requests/{rid}/offers", json={}, headers=token)
        assert offer_api.status_code == 404
        # The forms: CSRF is off in tests, so 404 is the read rule, not a missing token.
        assert client.post(f"/hulpvragen/{rid}/aanbieden", data={}).status_code == 404
        assert client.post(f"/hulpvragen/{rid}/bericht",
                           data={"body": "Hallo"}).status_code == 404
        if proposal is not None:
            assert STORY not in proposal and HOUSE_NUMBER not in proposal
        return

    body = api.get_json()
    assert (api.status_code, page.status_code) == (200, 200)
    assert body["description"] == STORY and STORY in text
    if expected is View.LIMITED:
        assert "house_number" not in body and RESIDENT_NAME.split()[0] not in str(body)
        assert HOUSE_NUMBER not in text and RESIDENT_NAME not in text
        if proposal is not None:
            assert STORY in proposal and HOUSE_NUMBER not in proposal
    else:
        assert body["house_number"] == HOUSE_NUMBER
        assert HOUSE_NUMBER in text and RESIDENT_NAME.split()[0] in text
