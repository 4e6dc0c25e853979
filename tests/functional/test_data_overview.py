"""Everything we keep about a person as a page in words: for the person, and at the desk for
the worker of the resident's area. Same facts as the download, audited, no workers' notes."""

from __future__ import annotations

from sqlalchemy import select

from marketplace.accounts.models import AuditEvent
from marketplace.casework.services import add_note
from marketplace.extensions import db
from marketplace.residents.services import save_member
from tests.functional.test_casework_access import sign_in, two_areas  # noqa: F401 (fixture)


def _viewed(subject_id: int) -> list[AuditEvent]:
    return db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "data.viewed", AuditEvent.subject_user_id == subject_id)
        .order_by(AuditEvent.id)).all()


def test_the_resident_reads_their_data_in_words(app, two_areas):  # noqa: F811
    w = two_areas
    resident = w["resident"]
    save_member(resident, name="Anna", relation="neighbour", can_help=["shopping"])
    add_note(w["worker"], resident, kind="note", body="Intern: lastig gesprek gehad",
             follow_up_on=None)
    db.session.commit()
    assert sign_in(app, w["worker"]).get(f"/dossier/{resident.id}").status_code == 200
    browser = sign_in(app, resident)
    assert "/mijn-gegevens/bekijken" in browser.get("/mijn-gegevens").text
    page = browser.get("/mijn-gegevens/bekijken")
    assert page.status_code == 200
    text = page.text
    for words in ("Boodschappen graag", "Anna (buren): boodschappen", "Zelf naar de winkel",
                  "De inwoner zelf: Loopt elke dag", "Thuiszorg", "U kreeg hulp, vanaf",
                  "Uw dossier is bekeken door een welzijnswerker (door "):
        assert words in text, words
    # Codes are written out, and what workers note for themselves is not in it.
    assert "neighbour" not in text and "shopping" not in text
    assert "Intern: lastig gesprek" not in text
    # The trail, newest first: the worker's opening of the file before the account's making.
    assert text.index("Uw dossier is bekeken door") < text.index("Uw account is gemaakt")
    [event] = _viewed(resident.id)
    assert (event.actor_user_id, event.detail["purpose"]) == (resident.id, "self")
    # The volunteer reads their own side: the help they give and their profile.
    helper = sign_in(app, w["volunteer"]).get("/mijn-gegevens/bekijken").text
    assert "U hielp, vanaf" in helper and "Als vrijwilliger" in helper
    assert "Zelf naar de winkel" not in helper


def test_at_the_desk_only_the_worker_of_the_area(app, two_areas):  # noqa: F811
    w = two_areas
    rid = w["resident"].id
    url = f"/dossier/{rid}/inzage"
    insider = sign_in(app, w["worker"])
    assert url in insider.get(f"/dossier/{rid}").text
    page = insider.get(url)
    assert page.status_code == 200 and "De gegevens van Riet" in page.text
    [event] = _viewed(rid)
    assert (event.actor_user_id, event.detail["purpose"]) == (w["worker"].id, "desk")
    assert sign_in(app, w["other"]).get(url).status_code == 404
    for role in ("resident", "volunteer"):
        assert sign_in(app, w[role]).get(url).status_code == 403
    assert insider.get("/dossier/99999999999/inzage").status_code == 404
    assert len(_viewed(rid)) == 1


def test_in_english_the_trail_is_in_english_too(app, two_areas):  # noqa: F811
    resident = two_areas["resident"]
    assert sign_in(app, two_areas["worker"]).get(f"/dossier/{resident.id}").status_code == 200
    text = sign_in(app, resident).get("/mijn-gegevens/bekijken?lang=en").text
    assert "A welfare worker looked at your file" in text and "You signed in" in text
    # (The sign-in's own message, shown once, was flashed in Dutch before the switch.)
    assert "Uw dossier is bekeken" not in text and "Uw account is gemaakt" not in text
