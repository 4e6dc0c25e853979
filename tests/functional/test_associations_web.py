"""Associations and activities in the browser: a board member's home and forms, per-field
Dutch errors with what was typed kept, the nearby list, sign-up and waiting list, a worker
signing up a resident, and who sees names (members and the area's workers only)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import func, select

from marketplace.accounts.models import AuditEvent
from marketplace.associations import services
from marketplace.associations.models import Activity, Signup
from marketplace.clock import DOMAIN_TZ
from marketplace.clock import now as clock_now
from marketplace.extensions import db
from tests.conftest import TEST_PASSWORD


def sign_in(app, user):
    client = app.test_client()
    response = client.post("/inloggen", data={"email": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 302, response.status_code
    return client


def text(response) -> str:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser").get_text(" ")


@pytest.fixture()
def people(make_area, make_user):
    bladel = make_area("GM1728", "municipality", name="Bladel", pc4=("5531", "5541"))
    eersel = make_area("GM0770", "municipality", name="Eersel", pc4=("5521",))
    people = {
        "board": make_user("association", name="Bea Bestuur"),
        "other_board": make_user("association", name="Olaf Anderclub"),
        "worker": make_user("worker", name="Wim Werker", areas=(bladel,)),
        "other_worker": make_user("worker", name="Olga Elders", areas=(eersel,)),
        "resident": make_user("resident", name="Rita Rietveld"),
        "neighbour": make_user("resident", name="Noor Naaste"),
        "volunteer": make_user("volunteer", name="Vera Vrijwilliger"),
    }
    association = services.create_association(people["worker"], name="De Linde",
                                              postcode="5531", contact="info@delinde.nl")
    services.add_member(people["worker"], association, people["board"])
    other = services.create_association(people["worker"], name="Anderclub", postcode="5541")
    services.add_member(people["worker"], other, people["other_board"])
    db.session.commit()
    people["association"], people["other"] = association, other
    people["make_user"] = make_user
    return people


def _form(day, **extra) -> dict:
    data = {"title": "Koffieochtend", "category": "companionship", "postcode": "5531 AB",
            "venue": "Dorpshuis", "day": day.isoformat(), "start_time": "10:00",
            "end_time": "11:30", "recurrence": "weekly", "capacity": "1",
            "accessible": "yes", "audience": "Iedereen uit de buurt"}
    data.update(extra)
    return data


def test_member_home_create_activity_with_errors_kept(app, people):
    client = sign_in(app, people["board"])
    home = client.get("/mijn-vereniging")
    assert home.status_code == 200 and "De Linde" in text(home)
    assert "Anderclub" not in text(home)
    # The menu of an association user is no longer empty.
    assert "/mijn-vereniging" in home.get_data(as_text=True)

    url = f"/verenigingen/{people['association'].id}/activiteiten/nieuw"
    past = (clock_now() - timedelta(days=2)).astimezone(DOMAIN_TZ).date()
    response = client.post(url, data=_form(past, capacity="0", postcode="0999",
                                           recurrence="daily", title="Mijn titel"))
    assert response.status_code == 200
    page = text(response)
    assert "Er ging iets mis" in page
    assert "Deze datum is al voorbij" in page
    assert "1 of meer" in page
    assert "Kies hoe vaak" in page
    assert 'value="Mijn titel"' in response.get_data(as_text=True)  # what was typed stays
    assert db.session.scalar(select(Activity.id)) is None

    response = client.post(url, data=_form(past, postcode="0999"))
    assert "Deze datum is al voorbij" in text(response)
    assert "geldige postcode" in text(response) or "kennen wij niet" in text(response)

    day = (clock_now() + timedelta(days=5)).astimezone(DOMAIN_TZ).date()
    response = client.post(url, data=_form(day))
    assert response.status_code == 302
    activity = db.session.scalar(select(Activity))
    assert activity.association_id == people["association"].id
    assert activity.starts_at.astimezone(DOMAIN_TZ).hour == 10
    assert len(activity.occurrences) > 10  # weekly, planned ahead
    page = text(client.get(response.headers["Location"]))
    assert "Koffieochtend" in page and "Aanwezigheid" in page

    # The other association's member may not edit it or cancel its times.
    other = sign_in(app, people["other_board"])
    assert other.get(f"/activiteiten/{activity.id}/bewerken").status_code == 404
    occurrence = activity.occurrences[0]
    assert other.post(f"/activiteiten/{activity.id}/keer/{occurrence.id}/afzeggen"
                      ).status_code == 404
    assert other.get(f"/verenigingen/{people['association'].id}/bewerken").status_code == 404


def _activity(people, capacity=1) -> Activity:
    start = (clock_now() + timedelta(days=4)).replace(hour=9, minute=0, second=0,
                                                      microsecond=0)
    activity = services.create_activity(people["board"], services.ActivityInput(
        title="Wandelen", category="companionship", postcode="5531", venue="Kerkplein",
        starts_at=start, recurrence="weekly", capacity=capacity, accessible=True,
        association_id=people["association"].id))
    db.session.commit()
    return activity


def test_resident_finds_signs_up_and_waits(app, people):
    activity = _activity(people)
    client = sign_in(app, people["resident"])
    page = client.get("/activiteiten/in-de-buurt?postcode=5531&radius_km=5")
    assert page.status_code == 200
    assert "Wandelen" in text(page) and "0,5 km" in text(page)
    assert "Nog 1 plek vrij" in text(page)
    bad = client.get("/activiteiten/in-de-buurt?postcode=1000&radius_km=5")
    assert bad.status_code == 200 and "kennen wij niet" in text(bad)
    assert client.post(f"/activiteiten/{activity.id}/aanmelden").status_code == 302
    second = sign_in(app, people["neighbour"])
    second.post(f"/activiteiten/{activity.id}/aanmelden")
    page = text(second.get(f"/activiteiten/{activity.id}"))
    assert "wachtlijst, plek 1" in page
    # Names only for members and the area's workers; a resident sees none.
    assert "Rita Rietveld" not in page
    for who, sees in (("board", True), ("worker", True), ("other_worker", False),
                      ("other_board", False), ("volunteer", False)):
        body = text(sign_in(app, people[who]).get(f"/activiteiten/{activity.id}"))
        assert ("Rita Rietveld" in body) is sees, who
        assert ("Noor Naaste" in body) is sees, who
    assert db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "activity.signups_viewed")) is not None
    # Signing off moves the first person waiting in.
    client.post(f"/activiteiten/{activity.id}/afmelden")
    db.session.expire_all()
    statuses = dict(db.session.execute(select(Signup.user_id, Signup.status)).all())
    assert statuses[people["neighbour"].id] == "registered"
    assert statuses[people["resident"].id] == "cancelled"


def test_worker_signs_up_a_resident(app, people):
    activity = _activity(people, capacity=None)
    from marketplace.casework.services import set_resident_pc4

    set_resident_pc4(people["resident"], "5531")
    db.session.commit()
    client = sign_in(app, people["worker"])
    page = client.get(f"/activiteiten/in-de-buurt?voor={people['resident'].id}")
    assert "U zoekt voor Rita Rietveld" in text(page) and "Wandelen" in text(page)
    response = client.post(f"/activiteiten/{activity.id}/aanmelden",
                           data={"voor": str(people["resident"].id)})
    assert response.status_code == 302
    signup = db.session.scalar(select(Signup))
    assert signup.user_id == people["resident"].id
    assert signup.signed_up_by_id == people["worker"].id
    # The activity page offers the residents of the worker's area by name.
    page = client.get(f"/activiteiten/{activity.id}").get_data(as_text=True)
    assert f'<option value="{people["resident"].id}">Rita Rietveld</option>' in page
    assert "Noor Naaste" not in page  # no file or request in this area
    # A worker of another area cannot act for these residents.
    other = sign_in(app, people["other_worker"])
    response = other.post(f"/activiteiten/{activity.id}/aanmelden",
                          data={"voor": str(people["neighbour"].id)}, follow_redirects=True)
    assert "Kies een inwoner uit de lijst" in text(response)
    assert db.session.scalar(select(func.count(Signup.id))) == 1


def test_profile_members_and_no_private_address(app, people):
    client = sign_in(app, people["board"])
    profile = client.get(f"/verenigingen/{people['association'].id}")
    assert "info@delinde.nl" in text(profile) and "Bea Bestuur" in text(profile)
    response = client.post(f"/verenigingen/{people['association'].id}/leden",
                           data={"email": "niemand@example.org"})
    assert "geen account" in text(response)
    response = client.post(f"/verenigingen/{people['association'].id}/leden",
                           data={"email": people["neighbour"].email})
    assert response.status_code == 302
    # Someone else sees the profile, but not the members or their e-mail addresses.
    page = text(sign_in(app, people["resident"]).get(
        f"/verenigingen/{people['association'].id}"))
    assert "Bea Bestuur" not in page and people["board"].email not in page


def _count_queries(client, url, **options) -> int:
    from sqlalchemy import event

    seen: list[str] = []

    def listener(conn, cursor, statement, *args):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        response = client.get(url, **options)
        assert response.status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    return len(seen)


def test_nearby_page_queries_do_not_grow_with_the_list(app, people, drawn_pages):
    """No query per activity: with 3 or 15 activities (of two associations, one signed up)
    the page and the API send the same number of queries."""
    from marketplace.accounts.sessions import issue_api_token

    def add(n: int, offset: int) -> None:
        start = (clock_now() + timedelta(days=2)).replace(microsecond=0)
        for i in range(offset, offset + n):
            board = people["board"] if i % 2 else people["other_board"]
            association = people["association"] if i % 2 else people["other"]
            activity = services.create_activity(board, services.ActivityInput(
                title=f"Activiteit {i}", category="companionship",
                postcode="5531" if i % 2 else "5541", starts_at=start, recurrence="weekly",
                capacity=10, association_id=association.id))
            if i == 0:
                services.signup(activity, people["resident"], actor=people["resident"])
        db.session.commit()

    client = sign_in(app, people["resident"])
    token = {"Authorization": f"Bearer {issue_api_token(people['resident'])}"}
    db.session.commit()
    page_url = "/activiteiten/in-de-buurt?postcode=5531&radius_km=10"
    api_url = "/api/v1/activities/nearby?postcode=5531&radius_km=10"
    # Each count after a first view: the test's shared session loads the signed-in user
    # again after a commit, as a fresh request in production would not need to twice.
    add(3, 0)
    _count_queries(client, page_url)
    small = _count_queries(client, page_url)
    small_api = _count_queries(app.test_client(), api_url, headers=token)
    add(12, 3)
    _count_queries(client, page_url)
    large = _count_queries(client, page_url)
    page = client.get(page_url)
    assert "Activiteit 14" in text(page) and "Fout:" not in text(page)
    assert large == small, (small, large)
    assert _count_queries(app.test_client(), api_url, headers=token) == small_api
    assert len(app.test_client().get(api_url, headers=token).get_json()) == 15


def test_map_only_with_tiles_url_and_then_only_that_server(app, people):
    """Empty MAP_TILES_URL (the default): no map, no script, the site's CSP. Set: the map's
    container, Leaflet from our own static files, the tile server allowed for images only."""
    _activity(people)
    client = sign_in(app, people["resident"])
    url = "/activiteiten/in-de-buurt?postcode=5531"
    plain = client.get(url)
    assert "kaart" not in plain.get_data(as_text=True) and "leaflet" not in \
        plain.get_data(as_text=True)
    assert "img-src 'self' data:;" in plain.headers["Content-Security-Policy"]
    app.config["MAP_TILES_URL"] = "https://{s}.tile.example.org/{z}/{x}/{y}.png"
    try:
        with_map = client.get(url)
    finally:
        app.config["MAP_TILES_URL"] = ""
    body = with_map.get_data(as_text=True)
    assert 'id="kaart"' in body and "/static/vendor/leaflet/leaflet.js" in body
    assert 'data-kaart-title="Wandelen"' in body
    policy = with_map.headers["Content-Security-Policy"]
    assert "img-src 'self' data: https://*.tile.example.org" in policy
    assert "script-src 'self'" in policy and "connect-src 'self'" in policy


def test_activity_page_queries_do_not_grow_with_sign_ups(app, people):
    """The member's activity page with the names and the waiting list: no query per person."""
    activity = _activity(people, capacity=2)
    board = sign_in(app, people["board"])
    url = f"/activiteiten/{activity.id}"

    def sign_up(n: int, offset: int) -> None:
        for i in range(offset, offset + n):
            person = people["make_user"]("resident", name=f"Deelnemer {i}")
            services.signup(activity, person, actor=person)
        db.session.commit()

    counts = []
    for n, offset in ((3, 0), (9, 3)):
        sign_up(n, offset)
        _count_queries(board, url)
        counts.append(_count_queries(board, url))
    page = text(board.get(url))
    assert "Deelnemer 11" in page and "Wachtlijst" in page
    assert counts[0] == counts[1], counts


def test_activity_form_started_from_a_cluster_is_filled_in(app, people):
    """The worklist's cluster links to the form with the cluster's kind and place."""
    client = sign_in(app, people["worker"])
    page = BeautifulSoup(client.get("/activiteiten/nieuw?category=meals&postcode=5531").get_data(
        as_text=True), "html.parser")
    chosen = page.find("select", {"name": "category"}).find("option", selected=True)
    assert chosen["value"] == "meals"
    assert page.find("input", {"name": "postcode"})["value"] == "5531"
    # An unknown kind is not chosen for the person; the form stays empty there.
    page = BeautifulSoup(client.get("/activiteiten/nieuw?category=nonsense").get_data(
        as_text=True), "html.parser")
    assert page.find("select", {"name": "category"}).find("option", selected=True) in (
        None, page.find("select", {"name": "category"}).find("option", value=""))


def _where(response) -> tuple[list[str], list[str]]:
    """The menu item marked as the current page, and the breadcrumb's links."""
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    nav = soup.find("nav", attrs={"aria-label": "Hoofdmenu"})
    current = list(dict.fromkeys(  # the menu is in the page twice: folded and as a bar
        a.get_text(strip=True) for a in nav.find_all("a", attrs={"aria-current": "page"})))
    crumbs = soup.find("nav", class_="utrecht-breadcrumb-nav") or soup.find(
        "nav", attrs={"aria-label": lambda v: v and "ruimb" in v.lower()})
    return current, [a.get_text(strip=True) for a in (crumbs.find_all("a") if crumbs else [])]


def test_a_members_own_association_sits_under_mijn_vereniging(app, people):
    """Its own members reach their association and its activities from "Mijn vereniging":
    the menu marks that, and the breadcrumb leads back there. Others see the list."""
    activity = _activity(people)
    board = sign_in(app, people["board"])
    assert _where(board.get(f"/verenigingen/{people['association'].id}")) == (
        ["Mijn vereniging"], ["Mijn vereniging"])
    current, crumbs = _where(board.get(f"/activiteiten/{activity.id}"))
    assert current == ["Mijn vereniging"] and crumbs[-1] == "Mijn vereniging"
    # Another association's page: the list of associations, as for anyone.
    assert _where(board.get(f"/verenigingen/{people['other'].id}")) == (
        ["Verenigingen"], ["Verenigingen"])
    other = sign_in(app, people["other_board"])
    current, crumbs = _where(other.get(f"/activiteiten/{activity.id}"))
    assert "Mijn vereniging" not in current and crumbs[-1] == "Activiteiten in de buurt"
    resident = sign_in(app, people["resident"])
    current, crumbs = _where(resident.get(f"/activiteiten/{activity.id}"))
    assert current == [] and crumbs[-1] == "Activiteiten in de buurt"
