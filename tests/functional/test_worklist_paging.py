"""Every worklist section pages on (issue 15: lists are paginated by keyset, not OFFSET).

The two request sections paged from the start; the other five (offers, signals, support
ending, overdue evaluations, referrals) showed their first page and a count, and what lay
beyond it could not be reached from the worklist. With one item per page, each section here
is walked to its end: every item once, in the section's order, none lost, and the link back
to the start where a section is paged on.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest

from marketplace.brokering import worklist as worklist_module
from marketplace.brokering.models import Arrangement, Match
from marketplace.casework.models import PartnerOrganisation, Referral
from marketplace.casework.services import set_resident_pc4
from marketplace.clock import now as clock_now
from marketplace.clock import today
from marketplace.extensions import db
from marketplace.help_requests.services import RequestInput, create_request
from marketplace.signals.models import Signal
from tests.conftest import TEST_PASSWORD

# section -> (query parameter, anchor, the next link's text)
SECTIONS = {
    "offers_waiting": ("aanbod_na", "aanbod", "Volgend aanbod"),
    "signals": ("signalen_na", "signalen", "Volgende zorgsignalen"),
    "arrangements_ending": ("aflopend_na", "aflopend", "Volgende afspraken"),
    "evaluations_overdue": ("evaluatie_na", "evaluatie", "Volgende evaluaties"),
    "referrals_waiting": ("verwijzingen_na", "verwijzingen", "Volgende verwijzingen"),
}
ITEMS = 3


@pytest.fixture()
def busy(app, make_area, make_user, monkeypatch):
    """Three items in each of the five sections. The first made sorts last, and the other
    two share their sort value, so the keyset's second part (the id) decides between them.
    Returns the worker and each section's ids in the order the section lists them."""
    monkeypatch.setattr(worklist_module, "PAGE_SIZE", 1)
    bladel = make_area("GM1728", "municipality", name="Bladel", pc4=("5531",))
    worker = make_user("worker", areas=(bladel,))
    volunteer = make_user("volunteer")
    partner = PartnerOrganisation(name="Schuldhulp Kempen", contact="info@kempen.example")
    db.session.add(partner)
    expected: dict[str, list[tuple]] = {name: [] for name in SECTIONS}
    moment = datetime(2026, 1, 5, 9, tzinfo=UTC)
    for i in range(ITEMS):
        resident = make_user("resident")
        set_resident_pc4(resident, "5531")
        shared = (1, 0, 0)[i]  # 0 sorts last; 1 and 2 share a sort value
        # Four requests per resident: an offer, support ending, an overdue evaluation.
        requests = []
        for j in range(3):
            created = create_request(resident, RequestInput(
                category="shopping", description=f"Hulp gezocht, {i}-{j}.",
                postcode="5531 CD", house_number=str(10 * i + j + 1)),
                now=clock_now() - timedelta(days=2))
            db.session.flush()
            requests.append(created)
        offer = Match(request_id=requests[0].id, volunteer_id=volunteer.id,
                      status="proposed", origin="volunteer", awaiting="worker",
                      created_at=moment + timedelta(hours=shared))
        db.session.add(offer)
        for request, status, end in ((requests[1], "ending", today() + timedelta(days=5 + shared)),
                                     (requests[2], "active", today() - timedelta(days=9 - shared))):
            match = Match(request_id=request.id, volunteer_id=volunteer.id,
                          status="accepted", origin="worker")
            db.session.add(match)
            db.session.flush()
            arrangement = Arrangement(request_id=request.id, match_id=match.id,
                                      volunteer_id=volunteer.id, status=status,
                                      started_on=date(2025, 10, 1), planned_end_on=end)
            db.session.add(arrangement)
            db.session.flush()
            section = "arrangements_ending" if status == "ending" else "evaluations_overdue"
            expected[section].append((end, arrangement.id))
        signal = Signal(pc4="5531", concern="Zorgen om de buurvrouw.", area_id=bladel.id,
                        respond_by=today() + timedelta(days=3 + shared))
        referral = Referral(resident_id=resident.id, partner_id=None, reason="Schulden.",
                            consent_at=moment, status="sent",
                            created_at=moment + timedelta(hours=shared))
        referral.partner = partner
        db.session.add_all([signal, referral])
        db.session.flush()
        expected["offers_waiting"].append((offer.created_at, offer.id))
        expected["signals"].append((signal.respond_by, signal.id))
        expected["referrals_waiting"].append((referral.created_at, referral.id))
    db.session.commit()
    order = {name: [i for _sort, i in sorted(keys)] for name, keys in expected.items()}
    for name, ids in order.items():
        assert ids[-1] < ids[0], name  # the order is not the order of creation
    return worker, order


def test_each_section_walks_to_its_end_by_keyset(busy):
    worker, expected = busy
    first = worklist_module.worklist(worker)
    for section in SECTIONS:
        assert first.count(section) == ITEMS, section
        seen, after = [], {}
        while True:
            page = worklist_module.worklist(worker, after=after)
            items = getattr(page, section)
            assert len(items) == 1, (section, seen)
            seen.append(items[0].id)
            if section not in page.next_after:
                break
            assert page.next_after[section] == items[0].id
            after = {section: items[0].id}
        assert seen == expected[section], section  # every item once, in the section's order


def test_the_page_links_each_section_on_and_back(app, busy):
    worker, expected = busy
    client = app.test_client()
    assert client.post("/inloggen", data={"email": worker.email,
                                          "password": TEST_PASSWORD}).status_code == 302
    start = client.get("/werk/").get_data(as_text=True)
    for section, (param, anchor, label) in SECTIONS.items():
        first, second = expected[section][:2]
        link = re.search(rf'href="(/werk/\?{param}={first}#{anchor})">{label}</a>', start)
        assert link, section
        later = client.get(link[1].split("#")[0]).get_data(as_text=True)
        part = later[later.index(f'id="{anchor}"'):]
        part = part[:part.index("</section>")]
        assert f'href="/werk/#{anchor}">Terug naar het begin van de lijst</a>' in part
        assert f"{param}={second}#{anchor}" in part  # on again after the second item
    for hostile in ("99999999999999", "²", "-1", "1e3", "٣", str(2**31)):
        assert client.get("/werk/", query_string={p: hostile for p, _a, _l in
                                                  SECTIONS.values()}).status_code == 200
