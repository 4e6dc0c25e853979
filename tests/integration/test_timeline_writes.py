"""Writing a timeline entry does not read the timeline: a request that went through many
proposals costs each next change the same (issue 15; the load test saw a proposal take 200 ms
on a request with hundreds of events, every one of them read to append one)."""

from __future__ import annotations

from sqlalchemy import event

from marketplace.brokering import worklist
from marketplace.extensions import db
from marketplace.help_requests.models import HelpRequest, RequestEvent
from marketplace.help_requests.services import RequestInput, create_request
from marketplace.support.lifecycle import record_status


def _reads_of_the_timeline(fn) -> list[str]:
    seen: list[str] = []

    def record(conn, cursor, statement, *rest):
        if statement.lstrip().upper().startswith("SELECT") and "FROM request_event" in statement:
            seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        fn()
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    return seen


def test_status_change_and_assignment_add_an_entry_without_reading_the_rest(
        app, make_area, make_user):
    bladel = make_area("GM1728", "municipality", name="Bladel", pc4=("5531",))
    worker = make_user("worker", areas=(bladel,))
    resident = make_user("resident")
    created = create_request(resident, RequestInput(
        category="shopping", description="Hulp gezocht bij boodschappen.", postcode="5531 CD",
        house_number="1"))
    db.session.commit()
    for i in range(40):
        db.session.add(RequestEvent(request_id=created.id, from_status=created.status,
                                    to_status=created.status, reason=f"gebeld {i}"))
    db.session.commit()
    db.session.expire_all()
    request = db.session.get(HelpRequest, created.id)
    before = request.status

    def change() -> None:
        worklist.assign(worker, request, worker)
        record_status(request, "clarifying" if before != "clarifying" else "open", actor=worker)
        db.session.flush()

    assert _reads_of_the_timeline(change) == []
    db.session.commit()
    db.session.expire_all()
    reasons = [e.reason for e in db.session.get(HelpRequest, created.id).events]
    assert len(reasons) == 40 + 1 + 2  # created, forty calls, assigned, the status change
    assert reasons[-2].startswith("toegewezen aan")
