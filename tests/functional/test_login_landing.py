"""Where a person lands after signing in: the home of their role (marketplace/main/home.py
`landing_url`). A worker at the worklist, an association's member at "Mijn vereniging",
the municipality at the results per area, everyone else at their account page. The page
they land on opens for them (200)."""

from __future__ import annotations

import pytest

from tests.conftest import TEST_PASSWORD

LANDING = {
    "resident": "/account/",
    "volunteer": "/account/",
    "worker": "/werk/",
    "association": "/mijn-vereniging",
    "municipality": "/rapportage/",
    "admin": "/account/",
    "partner": "/account/",
}


@pytest.fixture()
def area(make_area):
    return make_area("GM1728", "municipality", name="Bladel", pc4=("5531",))


def sign_in(client, user, url: str = "/inloggen"):
    return client.post(url, data={"email": user.email, "password": TEST_PASSWORD})


@pytest.mark.parametrize("role", sorted(LANDING))
def test_login_lands_on_the_home_of_the_role(app, make_user, area, role):
    user = make_user(role, areas=(area,) if role in ("worker", "municipality") else ())
    client = app.test_client()
    response = sign_in(client, user)
    assert response.status_code == 302
    assert response.headers["Location"] == LANDING[role]
    assert client.get(LANDING[role]).status_code == 200
    # Signed in already, the login page sends the person to the same place.
    again = client.get("/inloggen")
    assert again.status_code == 302 and again.headers["Location"] == LANDING[role]


def test_an_association_member_sees_their_own_home_after_login(app, make_user):
    from marketplace.associations.services import add_member, create_association
    from marketplace.extensions import db

    admin, member = make_user("admin"), make_user("association", name="Els Lid")
    add_member(admin, create_association(admin, name="Dorpsraad Hapert", postcode="5527"),
               member)
    db.session.commit()
    client = app.test_client()
    landed = client.get(sign_in(client, member).headers["Location"])
    assert landed.status_code == 200 and "Dorpsraad Hapert" in landed.text


@pytest.mark.parametrize(("roles", "expected"), [
    (("worker", "association"), "/werk/"),
    (("resident", "association"), "/mijn-vereniging"),
    (("resident", "volunteer"), "/account/"),
])
def test_several_roles_land_on_the_first_home(app, make_user, area, roles, expected):
    user = make_user(*roles, areas=(area,) if "worker" in roles else ())
    assert sign_in(app.test_client(), user).headers["Location"] == expected


def test_a_safe_next_page_still_wins(app, make_user):
    member = make_user("association")
    response = sign_in(app.test_client(), member, "/inloggen?next=/activiteiten/in-de-buurt")
    assert response.headers["Location"] == "/activiteiten/in-de-buurt"
    elsewhere = sign_in(app.test_client(), member, "/inloggen?next=//evil.example/")
    assert elsewhere.headers["Location"] == "/mijn-vereniging"


def test_a_municipal_user_without_an_area_lands_on_the_account(app, make_user):
    """No area yet (the administrator has not set one): no figures to show, no form error
    as a welcome; the account page instead."""
    user = make_user("municipality")
    client = app.test_client()
    response = sign_in(client, user)
    assert response.headers["Location"] == "/account/"
    page = client.get("/account/")
    assert page.status_code == 200
    # The page says why there are no figures, and who can change it.
    assert "U heeft nog geen werkgebied. Vraag de beheerder" in page.get_data(as_text=True)


def test_the_account_page_says_nothing_of_areas_to_who_needs_none(app, make_user, make_area):
    with_area = make_user("municipality", areas=(make_area("GM1728", "municipality"),))
    resident = make_user("resident")
    for user in (with_area, resident):
        client = app.test_client()
        sign_in(client, user)
        assert "nog geen werkgebied" not in client.get("/account/").get_data(as_text=True)
