"""A read of a request is audited and committed at once, without loading the page's data
again (audit.commit_read): the row is on disk for every other connection, the page shows
what is in the database, and the session expires on commit again afterwards."""

from __future__ import annotations

from sqlalchemy import select, update

from marketplace.accounts.models import AuditEvent
from marketplace.extensions import db
from marketplace.help_requests.models import HelpRequest
from marketplace.help_requests.services import RequestInput, create_request
from tests.functional.test_query_counts import sign_in


def test_request_read_is_audited_on_disk_and_the_page_is_current(app, make_area, make_user):
    bladel = make_area("GM1728", "municipality", name="Bladel", pc4=("5531",))
    worker = make_user("worker", areas=(bladel,))
    resident = make_user("resident")
    request = create_request(resident, RequestInput(
        category="shopping", description="Boodschappen op vrijdag, graag.", postcode="5531 CD",
        house_number="3"))
    db.session.commit()
    request_id, resident_id = request.id, resident.id
    client = sign_in(app, worker)
    page = client.get(f"/hulpvragen/{request_id}")
    assert page.status_code == 200 and "Boodschappen op vrijdag" in page.text
    # Committed: another connection (not this session) sees the audit row.
    with db.engine.connect() as other:
        rows = other.execute(select(AuditEvent.action, AuditEvent.subject_user_id).where(
            AuditEvent.object_type == "help_request", AuditEvent.object_id == request_id)).all()
    assert [tuple(r) for r in rows] == [("request.viewed", resident_id)]
    # A change made elsewhere shows on the next view: nothing is kept between requests. In
    # production every request has its own app context, whose end removes the session; here
    # the test's app context stays, so it is removed as that end would.
    db.session.remove()
    with db.engine.begin() as other:
        other.execute(update(HelpRequest).where(HelpRequest.id == request_id)
                      .values(description="Vervoer naar de markt."))
    again = client.get(f"/hulpvragen/{request_id}")
    assert "Vervoer naar de markt." in again.text and "Boodschappen op vrijdag" not in again.text
    assert db.session().expire_on_commit is True
