"""The administrator's pages: users, their roles and areas, and the areas themselves.

Who may open these pages is the security matrix's job; these tests check what they do.
"""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import func, select

from marketplace.accounts.models import User
from marketplace.accounts.services import find_by_email
from marketplace.areas import services as areas
from marketplace.areas import settings as area_settings
from marketplace.areas.models import Area
from marketplace.extensions import db


@pytest.fixture()
def admin(make_user, login):
    user = make_user("admin", email="beheer@example.org", name="Bram Beheerder")
    login(user)
    return user


@pytest.fixture()
def bladel(make_area):
    make_area("RG", "region", name="Kempen")
    make_area("GM1728", "municipality", name="Bladel", parent="RG")
    make_area("GM1728-HAPERT", "core", name="Hapert", parent="GM1728", pc4=("5527",))
    make_area("GM0770", "municipality", name="Eersel", parent="RG")
    return {a.code: a for a in areas.all_areas()}


def page(response) -> BeautifulSoup:
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.text, "html.parser")


def field_errors(soup: BeautifulSoup) -> str:
    return " ".join(p.get_text(" ", strip=True) for p in soup.select(".form-error__message"))


def me(client, api_token, user) -> dict:
    response = client.get("/api/v1/me", headers=api_token(user))
    assert response.status_code == 200
    return response.get_json()


def test_anonymous_users_go_to_the_login_page(client):
    response = client.get("/beheer/gebruikers")
    assert response.status_code == 302
    assert "/inloggen" in response.location


def test_people_without_the_admin_role_get_403(client, make_user, login):
    login(make_user("worker", "municipality"))
    assert client.get("/beheer/gebruikers").status_code == 403
    assert client.post("/beheer/gebieden/nieuw", data={"code": "X"}).status_code == 403
    assert areas.get_by_code("X") is None


# Users ------------------------------------------------------------------------------------


def listed_emails(soup: BeautifulSoup) -> list[str]:
    return [row.select("td")[1].get_text(strip=True) for row in soup.select("tbody tr")]


def test_admin_lists_and_searches_users(client, admin, make_user):
    make_user("volunteer", email="joost@example.org", name="Joost Smits")
    make_user("worker", email="sanne@example.org", name="Sanne de Vries")
    make_user("resident", "volunteer", email="riek@example.org", name="Riek van den Broek")
    soup = page(client.get("/beheer/gebruikers"))
    assert len(listed_emails(soup)) == 4
    assert "4 gebruikers gevonden" in soup.get_text()
    assert listed_emails(page(client.get("/beheer/gebruikers?q=SMITS"))) == ["joost@example.org"]
    assert listed_emails(page(client.get("/beheer/gebruikers?q=sanne@"))) == ["sanne@example.org"]
    by_role = page(client.get("/beheer/gebruikers?role=volunteer"))
    assert sorted(listed_emails(by_role)) == ["joost@example.org", "riek@example.org"]
    both = page(client.get("/beheer/gebruikers?role=volunteer&q=riek"))
    assert listed_emails(both) == ["riek@example.org"]
    assert listed_emails(page(client.get("/beheer/gebruikers?q=niemand"))) == []


def test_user_list_pages_keep_the_filter(client, admin, make_user, monkeypatch):
    import marketplace.admin.views

    monkeypatch.setattr(marketplace.admin.views, "PAGE_SIZE", 2)
    made = [make_user("volunteer", email=f"v{n}@example.org", name=f"Vrijwilliger {n}",
                      password=None) for n in range(5)]
    first = page(client.get("/beheer/gebruikers?role=volunteer"))
    assert listed_emails(first) == ["v0@example.org", "v1@example.org"]
    assert "1 tot en met 2 van 5" in first.get_text()
    assert first.find("a", string="Vorige pagina") is None
    next_link = first.find("a", string="Volgende pagina")["href"]
    assert "role=volunteer" in next_link and f"na={made[1].id}" in next_link
    second = page(client.get(next_link))
    assert listed_emails(second) == ["v2@example.org", "v3@example.org"]
    assert "3 tot en met 4 van 5" in second.get_text()
    last = page(client.get(second.find("a", string="Volgende pagina")["href"]))
    assert listed_emails(last) == ["v4@example.org"]
    assert last.find("a", string="Volgende pagina") is None
    back = page(client.get(last.find("a", string="Vorige pagina")["href"]))
    assert listed_emails(back) == ["v2@example.org", "v3@example.org"]
    back = page(client.get(back.find("a", string="Vorige pagina")["href"]))
    assert listed_emails(back) == ["v0@example.org", "v1@example.org"]
    assert back.find("a", string="Vorige pagina") is None
    # A user added meanwhile on an earlier page does not shift the next page (keyset).
    make_user("volunteer", email="a@example.org", name="Aad", password=None)
    assert listed_emails(page(client.get(next_link))) == ["v2@example.org", "v3@example.org"]
    # Marks that name nobody (or someone outside the search), or are not numbers: page one.
    for mark in ("na=0", f"na={admin.id}", "voor=abc", "na=" + "9" * 40, "na=%00",
                 "voor=-1", "na=²"):
        shown = page(client.get(f"/beheer/gebruikers?role=volunteer&{mark}"))
        assert listed_emails(shown) == ["a@example.org", "v0@example.org"], mark


def test_admin_creates_a_worker_with_areas(client, admin, bladel, api_token):
    response = client.post("/beheer/gebruikers/nieuw", data={
        "name": "Sanne de Vries", "email": "Sanne@Example.org",
        "roles": ["worker", "volunteer"], "areas": [str(bladel["GM1728"].id)], "is_active": "y",
    })
    assert response.status_code == 302
    user = find_by_email("sanne@example.org")
    assert response.location.endswith(f"/beheer/gebruikers/{user.id}")
    assert user.roles == ["volunteer", "worker"]
    assert me(client, api_token, user)["areas"] == ["GM1728"]
    soup = page(client.get(response.location))
    assert soup.find("input", {"name": "areas", "value": str(bladel["GM1728"].id)}).has_attr(
        "checked")


@pytest.mark.parametrize(("data", "error"), [
    ({"roles": []}, "Kies minstens één rol"),
    ({"roles": ["resident"], "areas": "GM1728"}, "werkgebied"),
    ({"email": "geen-adres"}, "geen geldig e-mailadres"),
    ({"email": "BEHEER@example.org"}, "al een account"),
])
def test_creating_a_user_with_errors_keeps_what_was_typed(client, admin, bladel, data, error):
    form = {"name": "Typed Name", "email": "typed@example.org", "roles": ["worker"],
            "is_active": "y", **data}
    if "areas" in data:
        form["areas"] = [str(bladel[data["areas"]].id)]
    soup = page(client.post("/beheer/gebruikers/nieuw", data=form))
    assert error in field_errors(soup)
    assert soup.select_one(".error-summary") is not None
    assert soup.find("input", {"name": "name"})["value"] == "Typed Name"
    assert soup.find("input", {"name": "email"})["value"] == form["email"]
    assert db.session.scalar(select(func.count()).select_from(User)) == 1


def edit_form(user, **changes) -> dict:
    data = {"name": user.name, "email": user.email or "", "roles": user.roles,
            "areas": [str(a.id) for a in user.areas], "is_active": "y"}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_admin_edits_roles_areas_email_and_active(client, admin, bladel, make_user, api_token):
    user = make_user("resident", email="jan@example.org", name="Jan")
    headers = api_token(user)
    response = client.post(f"/beheer/gebruikers/{user.id}", data=edit_form(
        user, name="Jan Jansen", email="Jan.Jansen@Example.org",
        roles=["worker", "municipality"],
        areas=[str(bladel["GM1728-HAPERT"].id), str(bladel["GM0770"].id)],
    ))
    assert response.status_code == 302
    body = client.get("/api/v1/me", headers=headers).get_json()
    assert body["email"] == "jan.jansen@example.org"
    assert body["name"] == "Jan Jansen"
    assert body["roles"] == ["municipality", "worker"]
    assert body["areas"] == ["GM0770", "GM1728-HAPERT"]
    # Blocking: unticked "active" ends API access at once.
    db.session.expire_all()
    response = client.post(f"/beheer/gebruikers/{user.id}",
                           data=edit_form(db.session.get(User, user.id), is_active=None))
    assert response.status_code == 302
    assert client.get("/api/v1/me", headers=headers).status_code == 401
    db.session.expire_all()
    assert db.session.get(User, user.id).is_active is False


def test_editing_to_a_taken_email_shows_the_error_and_keeps_the_typed_values(
        client, admin, make_user):
    make_user("resident", email="taken@example.org")
    user = make_user("volunteer", email="mine@example.org", name="Mien")
    soup = page(client.post(f"/beheer/gebruikers/{user.id}", data=edit_form(
        user, name="Mien Nieuw", email="Taken@example.org", roles=["volunteer", "association"])))
    assert "al een account" in field_errors(soup)
    assert soup.find("input", {"name": "email"})["value"] == "Taken@example.org"
    assert soup.find("input", {"name": "name"})["value"] == "Mien Nieuw"
    assert soup.find("input", {"name": "roles", "value": "association"}).has_attr("checked")
    db.session.expire_all()
    unchanged = db.session.get(User, user.id)
    assert (unchanged.email, unchanged.name, unchanged.roles) == (
        "mine@example.org", "Mien", ["volunteer"])


def test_admin_cannot_remove_own_admin_role_or_block_self(client, admin, api_token):
    soup = page(client.post(f"/beheer/gebruikers/{admin.id}",
                            data=edit_form(admin, roles=["worker"])))
    assert "eigen beheerdersrol" in field_errors(soup)
    soup = page(client.post(f"/beheer/gebruikers/{admin.id}",
                            data=edit_form(admin, is_active=None)))
    assert "eigen account" in field_errors(soup)
    db.session.expire_all()
    assert me(client, api_token, db.session.get(User, admin.id))["roles"] == ["admin"]
    assert client.get("/beheer/gebruikers").status_code == 200


def test_removing_the_worker_role_needs_the_areas_removed_too(
        client, admin, bladel, make_user, api_token):
    user = make_user("worker", areas=(bladel["GM1728"],))
    soup = page(client.post(f"/beheer/gebruikers/{user.id}",
                            data=edit_form(user, roles=["resident"])))
    assert "werkgebied" in field_errors(soup)
    response = client.post(f"/beheer/gebruikers/{user.id}",
                           data=edit_form(user, roles=["resident"], areas=[]))
    assert response.status_code == 302
    db.session.expire_all()
    assert me(client, api_token, db.session.get(User, user.id))["areas"] == []


# Areas ------------------------------------------------------------------------------------


def area_form(**values) -> dict:
    data = {"code": "", "name": "", "kind": "core", "parent": "", "pc4": "",
            "brokering_mode": "", "signal_respond_days": "", "request_stale_days": "",
            "request_expiry_days": ""}
    data.update(values)
    return data


def test_admin_creates_an_area_with_pc4_and_settings(client, admin, bladel):
    response = client.post("/beheer/gebieden/nieuw", data=area_form(
        code="GM1728-BLADEL", name="Bladel", parent="GM1728", pc4="5531, 5527",
        brokering_mode="peer_to_peer", signal_respond_days="3"))
    assert response.status_code == 302
    core = areas.get_by_code("GM1728-BLADEL")
    assert response.location.endswith(f"/beheer/gebieden/{core.id}")
    assert core.parent.code == "GM1728"
    assert core.path == f"{bladel['GM1728'].path}{core.id}/"
    assert [p.pc4 for p in core.postcodes] == ["5527", "5531"]  # 5527 moved from Hapert
    assert area_settings.own_values(core) == {"brokering_mode": "peer_to_peer",
                                              "signal_respond_days": "3"}
    listing = page(client.get("/beheer/gebieden")).get_text(" ")
    assert "GM1728-BLADEL" in listing and "5527, 5531" in listing


def test_a_bad_pc4_re_renders_the_form_with_the_typed_text(client, admin, bladel):
    typed = "5531, 0000 12ab"
    soup = page(client.post("/beheer/gebieden/nieuw", data=area_form(
        code="NIEUW", name="Nieuw dorp", parent="GM1728", pc4=typed)))
    errors = field_errors(soup)
    assert "bestaan niet" in errors and "0000" in errors and "12ab" in errors
    # A browser drops the one newline WTForms puts after <textarea>.
    assert soup.find("textarea", {"name": "pc4"}).get_text().removeprefix("\r\n") == typed
    assert soup.find("input", {"name": "name"})["value"] == "Nieuw dorp"
    assert areas.get_by_code("NIEUW") is None


def test_a_new_area_needs_a_free_code(client, admin, bladel):
    soup = page(client.post("/beheer/gebieden/nieuw", data=area_form(
        code="GM1728-HAPERT", name="Ander Hapert", parent="GM1728")))
    assert "al een gebied met deze code" in field_errors(soup)
    assert areas.get_by_code("GM1728-HAPERT").name == "Hapert"


def test_editing_an_area_can_change_its_code(client, admin, bladel, make_user, api_token):
    hapert = bladel["GM1728-HAPERT"]
    worker = make_user("worker", areas=(hapert,))
    response = client.post(f"/beheer/gebieden/{hapert.id}", data=area_form(
        code="GM1728-HPT", name="Hapert", parent="GM1728", pc4="5527"))
    assert response.status_code == 302
    assert db.session.scalar(select(func.count()).select_from(Area)) == len(bladel)
    assert areas.get_by_code("GM1728-HAPERT") is None
    assert areas.area_for_pc4("5527").id == hapert.id
    assert me(client, api_token, worker)["areas"] == ["GM1728-HPT"]


def test_editing_an_area_to_a_taken_code_is_refused(client, admin, bladel):
    hapert = bladel["GM1728-HAPERT"]
    soup = page(client.post(f"/beheer/gebieden/{hapert.id}", data=area_form(
        code="GM0770", name="Hapert", parent="GM1728", pc4="5527")))
    assert "al een gebied met deze code" in field_errors(soup)
    assert soup.find("input", {"name": "code"})["value"] == "GM0770"
    db.session.expire_all()
    assert db.session.get(Area, hapert.id).code == "GM1728-HAPERT"


def test_parent_choices_leave_out_the_area_and_its_descendants(client, admin, bladel):
    municipality = bladel["GM1728"]
    soup = page(client.get(f"/beheer/gebieden/{municipality.id}"))
    options = [o["value"] for o in soup.select("select[name=parent] option")]
    assert "GM1728" not in options and "GM1728-HAPERT" not in options
    assert {"", "RG", "GM0770"} <= set(options)
    assert soup.select_one("select[name=parent] option[selected]")["value"] == "RG"
    for parent in ("GM1728", "GM1728-HAPERT"):
        soup = page(client.post(f"/beheer/gebieden/{municipality.id}", data=area_form(
            code="GM1728", name="Bladel", kind="neighbourhood", parent=parent)))
        assert field_errors(soup)
        db.session.expire_all()
        assert db.session.get(Area, municipality.id).parent.code == "RG"


def test_a_parent_of_the_wrong_kind_is_explained(client, admin, bladel):
    soup = page(client.post("/beheer/gebieden/nieuw", data=area_form(
        code="WIJK", name="Wijk", kind="municipality", parent="GM0770")))
    assert "Een gemeente kan niet onder een gemeente vallen" in field_errors(soup)


def test_area_settings_can_be_cleared_to_inherit_again(client, admin, bladel):
    hapert = bladel["GM1728-HAPERT"]
    area_settings.set_value(bladel["GM1728"], "signal_respond_days", "9")
    db.session.commit()
    url = f"/beheer/gebieden/{hapert.id}"
    data = area_form(code="GM1728-HAPERT", name="Hapert", parent="GM1728", pc4="5527")
    assert client.post(url, data={**data, "signal_respond_days": "2"}).status_code == 302
    assert area_settings.effective(hapert, "signal_respond_days") == "2"
    soup = page(client.post(url, data={**data, "signal_respond_days": "99"}))
    assert "getal" in field_errors(soup)
    assert soup.find("input", {"name": "signal_respond_days"})["value"] == "99"
    soup = page(client.post(url, data={**data, "request_expiry_days": "3"}))
    assert "7 tot en met 365" in field_errors(soup)
    assert client.post(url, data=data).status_code == 302
    db.session.expire_all()
    assert area_settings.effective(db.session.get(Area, hapert.id), "signal_respond_days") == "9"
    hint = page(client.get(url)).find(id="signal_respond_days-hint").get_text()
    assert "nu 9" in hint  # what an empty field means for this area
