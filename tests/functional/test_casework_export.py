""""Download my data": every signed-in person gets a JSON file of what we keep about them,
including who read their file (the audit trail)."""

from __future__ import annotations

import json

from marketplace.brokering.services import accept, propose_match
from marketplace.extensions import db
from marketplace.help_requests.messages import send
from marketplace.help_requests.services import RequestInput, create_request
from marketplace.residents.services import save_member
from marketplace.volunteers.services import ProfileInput, save_profile
from tests.conftest import TEST_PASSWORD


def sign_in(app, user):
    client = app.test_client()
    assert client.post("/inloggen", data={"email": user.email,
                                          "password": TEST_PASSWORD}).status_code == 302
    return client


def download(client) -> dict:
    response = client.post("/mijn-gegevens")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"].startswith(
        'attachment; filename="buurtmakelaar-mijn-gegevens-')
    return json.loads(response.get_data(as_text=True))


def test_the_download_holds_the_residents_data_and_who_read_the_file(app, make_user,
                                                                      make_area):
    area = make_area("GM1728", "municipality", pc4=("5527", "5531"))
    worker = make_user("worker", name="Wendy Werker", areas=(area,))
    resident = make_user("resident", name="Riet")
    volunteer = make_user("volunteer", name="Vera")
    save_profile(volunteer, ProfileInput(skills=["shopping"], postcode="5531", radius_km=10))
    save_member(resident, name="Buurman Bert", relation="neighbour", can_help=["shopping"])
    request = create_request(resident, RequestInput(
        category="shopping", description="Boodschappen graag", postcode="5527",
        house_number="8"))
    accept(volunteer, propose_match(worker, request, volunteer))
    send(resident, request, "Tot dinsdag!")
    send(volunteer, request, "Prima, tot dan.")
    db.session.commit()

    mine = sign_in(app, resident)
    page = mine.get("/mijn-gegevens")
    assert page.status_code == 200 and "Download mijn gegevens" in page.text
    before = download(mine)
    assert not [e for e in before["audit_trail"] if e["action"] == "file.viewed"]

    assert sign_in(app, worker).get(f"/dossier/{resident.id}").status_code == 200
    data = download(mine)
    assert data["account"]["name"] == "Riet"
    assert [r["id"] for r in data["requests"]] == [request.id]
    assert data["requests"][0]["house_number"] == "8"
    assert data["network"][0]["name"] == "Buurman Bert"
    assert [m["body"] for m in data["messages_sent"]] == ["Tot dinsdag!"]
    assert data["arrangements"][0]["you_are"] == "resident"
    assert data["arrangements"][0]["checkins"]
    reads = [e for e in data["audit_trail"] if e["action"] == "file.viewed"]
    assert len(reads) == 1
    assert reads[0]["by"] == "Wendy Werker" and reads[0]["purpose"] == "file"
    assert reads[0]["what"] == "Uw dossier is bekeken door een welzijnswerker"
    assert any(e["action"] == "data.exported" and e["by"] == "you"
               for e in data["audit_trail"])

    # The volunteer's own download shows their side, never the resident's name.
    theirs = download(sign_in(app, volunteer))
    assert theirs["arrangements"][0]["you_are"] == "volunteer"
    assert [m["body"] for m in theirs["messages_sent"]] == ["Prima, tot dan."]
    assert theirs["volunteer_profile"]["skills"] == ["shopping"]
    assert "Riet" not in json.dumps(theirs)


def test_every_role_can_download_and_anonymous_cannot(app, make_user):
    for role in ("resident", "volunteer", "association", "worker", "municipality", "admin"):
        user = make_user(role)
        data = download(sign_in(app, user))
        assert data["account"]["roles"] == [role]
    anonymous = app.test_client().post("/mijn-gegevens")
    assert anonymous.status_code == 302 and "/inloggen" in anonymous.headers["Location"]
