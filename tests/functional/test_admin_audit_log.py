"""The administrator's audit log: who read or changed whose data. Filters by the person it
is about, by who did it, and by days; pages on by keyset; bad input is said per field; reading
it is itself recorded. (Who may open it: the security matrix.)"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from marketplace.accounts import audit
from marketplace.accounts.models import AuditEvent
from marketplace.extensions import db
from tests.functional.test_casework_access import sign_in


def _world(make_user):
    admin = make_user("admin", name="Bram Beheerder")
    worker = make_user("worker", name="Sanne Werker")
    riet = make_user("resident", name="Riet Jansen", email="riet@example.org")
    kees = make_user("resident", name="Kees Smit")
    for day, subject in ((3, riet), (10, kees), (20, riet)):
        audit.record("file.viewed", actor_id=worker.id, subject_user_id=subject.id,
                     object_type="resident_file", object_id=subject.id,
                     detail={"purpose": "plan"}, now=datetime(2026, 3, day, 9, 0, tzinfo=UTC))
    db.session.commit()
    return admin, worker, riet, kees


def _rows(html: str) -> int:
    """The file reads in the table (making the accounts wrote events too)."""
    return html.count("<span class=\"definition-list__code\">file.viewed")


def test_about_whom_by_whom_and_which_days(app, make_user):
    admin, worker, riet, kees = _world(make_user)
    browser = sign_in(app, admin)
    everything = browser.get("/beheer/logboek").text
    assert "Uw dossier is bekeken door een welzijnswerker" in everything
    about_riet = browser.get("/beheer/logboek", query_string={"persoon": "riet@example.org"})
    assert about_riet.status_code == 200 and _rows(about_riet.text) == 2
    assert "Kees Smit" not in about_riet.text and "Sanne Werker" in about_riet.text
    by_number = browser.get("/beheer/logboek", query_string={"persoon": str(riet.id)})
    assert _rows(by_number.text) == 2
    by_worker = browser.get("/beheer/logboek", query_string={"door": str(worker.id)})
    assert _rows(by_worker.text) == 3
    # Days in the Netherlands, both ends included, typed or from the date picker.
    march = browser.get("/beheer/logboek", query_string={
        "door": str(worker.id), "van": "3-3-2026", "tot": "2026-03-10"})
    assert _rows(march.text) == 2 and "20 maart 2026" not in march.text
    # Reading the log is itself in the log, about the person asked for.
    read = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "audit.viewed", AuditEvent.subject_user_id == riet.id)).all()
    assert len(read) == 2 and {e.actor_user_id for e in read} == {admin.id}
    # The admin user page links to both views of the log.
    page = browser.get(f"/beheer/gebruikers/{riet.id}").text
    assert f"/beheer/logboek?persoon={riet.id}" in page
    assert f"/beheer/logboek?door={riet.id}" in page


def test_bad_filters_are_said_per_field(app, make_user):
    admin, *_ = _world(make_user)
    browser = sign_in(app, admin)
    bad = browser.get("/beheer/logboek", query_string={
        "persoon": "niemand@example.org", "van": "31-2-2026", "tot": "²"})
    assert bad.status_code == 422
    assert "Niemand met dit e-mailadres of nummer." in bad.text
    assert bad.text.count("Vul een datum in zoals 25-12-2026.") >= 2
    assert 'value="niemand@example.org"' in bad.text
    backwards = browser.get("/beheer/logboek", query_string={"van": "10-3-2026",
                                                             "tot": "1-3-2026"})
    assert backwards.status_code == 422 and "vóór de begindatum" in backwards.text


def test_pages_on_by_keyset(app, make_user, monkeypatch):
    import marketplace.admin.audit_views as views

    admin, worker, *_ = _world(make_user)
    monkeypatch.setattr(views, "LOG_PAGE", 2)
    browser = sign_in(app, admin)
    first = browser.get("/beheer/logboek", query_string={"door": str(worker.id)}).text
    assert _rows(first) == 2 and "20 maart 2026" in first and "3 maart 2026" not in first
    older = first.split('rel="next" href="')[1].split('"')[0].replace("&amp;", "&")
    second = browser.get(older).text
    assert _rows(second) == 1 and "3 maart 2026" in second and 'rel="next"' not in second
    assert "Terug naar het nieuwste" in second
