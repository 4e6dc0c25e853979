"""The pages of erasure: "Mijn gegevens wissen" with its confirmation step, and erasure at
the desk by a worker of the person's area or an administrator (audited, without the name)."""

from __future__ import annotations

import re

from sqlalchemy import select

from marketplace.accounts.models import AuditEvent, User
from marketplace.casework.services import set_resident_pc4
from marketplace.extensions import db
from tests.conftest import TEST_PASSWORD


def form_token(client, path: str) -> str:
    import re

    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)


def test_my_data_page_leads_to_erasure(app, client, make_user, login):
    login(make_user("resident"))
    page = client.get("/mijn-gegevens").get_data(as_text=True)
    assert 'href="/mijn-gegevens/wissen"' in page
    page = client.get("/mijn-gegevens/wissen").get_data(as_text=True)
    assert re.search(r"<h1[^>]*>Mijn gegevens wissen</h1>", page) and "<legend" in page
    assert 'for="email"' in page and 'for="password"' in page


def test_the_confirmation_step_must_be_right(app, client, make_user, login):
    resident = make_user("resident", name="Rita Wis", email="rita@example.org")
    login(resident)
    path = "/mijn-gegevens/wissen"
    answers = [
        ({"email": "iemand@example.org", "password": TEST_PASSWORD, "understood": "y"},
         "Dit is niet het e-mailadres van uw account."),
        ({"email": "rita@example.org", "password": "fout wachtwoord", "understood": "y"},
         "Dit is niet uw wachtwoord."),
        ({"email": "rita@example.org", "password": TEST_PASSWORD},
         "Zet een vinkje als u het zeker weet."),
    ]
    for data, message in answers:
        page = client.post(path, data={**data, "csrf_token": form_token(client, path)})
        assert page.status_code == 200
        text = page.get_data(as_text=True)
        assert message in text and f'value="{data["email"]}"' in text
    assert db.session.get(User, resident.id).erased_at is None


def test_erasing_myself_logs_me_out(app, client, make_user, login):
    volunteer = make_user("volunteer", name="Vera Wis", email="vera@example.org")
    login(volunteer)
    path = "/mijn-gegevens/wissen"
    answer = client.post(path, data={"email": "Vera@example.org", "password": TEST_PASSWORD,
                                      "understood": "y", "csrf_token": form_token(client, path)})
    assert answer.status_code == 302 and answer.headers["Location"] == "/gegevens-gewist"
    assert "Uw gegevens zijn gewist" in client.get("/gegevens-gewist").get_data(as_text=True)
    assert client.get("/mijn-gegevens").status_code == 302  # to the login page
    db.session.expire_all()
    user = db.session.get(User, volunteer.id)
    assert user.erased_at is not None and user.name == "[gewist]"


def test_staff_erase_their_own_account_never(app, client, make_user, make_area, login):
    area = make_area("GM1")
    login(make_user("worker", areas=(area,)))
    assert client.get("/mijn-gegevens/wissen").status_code == 403
    client.post("/uitloggen")
    login(make_user("volunteer", "worker", areas=(area,)))
    assert client.get("/mijn-gegevens/wissen").status_code == 409


def test_a_worker_erases_a_resident_of_their_area_at_the_desk(
        app, client, make_user, make_area, login):
    area = make_area("GM1728", pc4=("5531",))
    elsewhere = make_area("GM0363", pc4=("1011",))
    worker = make_user("worker", areas=(area,))
    stranger = make_user("worker", areas=(elsewhere,))
    resident = make_user("resident", name="Henk de Balie")
    set_resident_pc4(resident, "5531")
    db.session.commit()
    path = f"/gegevens-wissen/{resident.id}"
    login(stranger)
    assert client.get(path).status_code == 404
    client.post("/uitloggen")
    login(worker)
    file_page = client.get(f"/dossier/{resident.id}").get_data(as_text=True)
    assert f'href="/gegevens-wissen/{resident.id}"' in file_page
    page = client.get(path)
    assert page.status_code == 200 and "Henk de Balie" in page.get_data(as_text=True)
    wrong = client.post(path, data={"name": "Henk", "asked": "y",
                                    "csrf_token": form_token(client, path)})
    assert "Typ de naam precies zoals hij hier staat." in wrong.get_data(as_text=True)
    done = client.post(path, data={"name": "henk de balie", "asked": "y",
                                   "csrf_token": form_token(client, path)})
    assert done.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, resident.id).erased_at is not None
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.erased"))
    assert event.actor_user_id == worker.id and event.subject_user_id == resident.id
    assert "Henk" not in str(event.detail)
    assert client.get(path).status_code == 404  # erased already


def test_an_administrator_erases_a_volunteer_but_never_staff(
        app, client, make_user, make_area, login):
    admin = make_user("admin")
    volunteer = make_user("volunteer", name="Piet Helper")
    worker = make_user("worker", areas=(make_area("GM1"),))
    login(admin)
    page = client.get(f"/beheer/gebruikers/{volunteer.id}").get_data(as_text=True)
    assert f'href="/gegevens-wissen/{volunteer.id}"' in page
    assert client.get(f"/gegevens-wissen/{worker.id}").status_code == 404
    assert client.get(f"/gegevens-wissen/{admin.id}").status_code == 404
    path = f"/gegevens-wissen/{volunteer.id}"
    done = client.post(path, data={"name": "Piet Helper", "asked": "y",
                                   "csrf_token": form_token(client, path)})
    assert done.status_code == 302 and done.headers["Location"] == "/beheer/gebruikers"
    db.session.expire_all()
    assert db.session.get(User, volunteer.id).erased_at is not None


def test_hostile_input_on_the_confirmation_step(app, client, make_user, login):
    resident = make_user("resident", email="hanna@example.org")
    login(resident)
    path = "/mijn-gegevens/wissen"
    for password in ("%ED%A0%80", "%00", "", "x" * 500):  # a lone surrogate's bytes, NUL
        body = (f"email=hanna%40example.org&password={password}&understood=y"
                f"&csrf_token={form_token(client, path)}")
        page = client.post(path, data=body, content_type="application/x-www-form-urlencoded")
        assert page.status_code == 200
    assert db.session.get(User, resident.id).erased_at is None
