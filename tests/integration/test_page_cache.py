"""The page store (marketplace/page_cache): a page is served again only while nothing was
written, in the same minute, to the same login session; every read stays audited.

The failure this guards against is a welfare worker seeing an old worklist. So each page
class is drawn, served from the store, and then, after a write through the services (or by
another process on the same database), must show the change.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import func, select, text, update

from marketplace.accounts import audit
from marketplace.accounts.models import AuditEvent
from marketplace.clock import now as clock_now
from marketplace.extensions import db
from marketplace.help_requests.models import HelpRequest
from marketplace.page_cache.store import Kept, PageStore
from marketplace.page_cache.tracking import written_table
from tests.conftest import build_app
from tests.functional.test_query_counts import PAGES, World, sign_in
from tests.perf_support import page_html, page_queries

# A view served from the store: the session and user, the generation, and for the request
# page and the dossier the audit row written again (and its commit's BEGIN on SQLite).
KEPT_AT_MOST = 5


def view(app, client, url):
    """(response, statements, whether the page came from the store)."""
    hits = app.extensions["page_cache"].hits
    response, log = page_queries(client, url)
    return response, log, app.extensions["page_cache"].hits > hits


@pytest.fixture()
def world(app, make_area, make_user):
    return World(make_area, make_user)


def generation() -> int:
    db.session.commit()
    return db.session.execute(text("SELECT n FROM data_generation WHERE id = 1")).scalar()


def open_rules(monkeypatch) -> None:
    """k=1 and zeros shown: the test world's figures are small (see test_query_counts)."""
    from marketplace.reporting import indicators
    from marketplace.reporting.disclosure import Rules

    monkeypatch.setattr(indicators, "rules_from_config", lambda: Rules(k=1, publish_zeros=True))


@pytest.mark.parametrize("page", sorted(PAGES))
def test_a_page_is_served_again_until_something_is_written(app, world, page, monkeypatch):
    open_rules(monkeypatch)
    role, url_of = PAGES[page]
    client = sign_in(app, getattr(world, role))
    url = url_of(world)
    page_queries(client, url)  # the first view may start the session's CSRF token: not kept
    drawn, drawn_log, from_store = view(app, client, url)
    assert not from_store
    kept, kept_log, from_store = view(app, client, url)
    assert from_store and kept.get_data() == drawn.get_data()
    assert kept_log.count <= min(KEPT_AT_MOST, drawn_log.count), f"{kept_log}"
    assert kept.headers["Content-Security-Policy"] and kept.headers["Cache-Control"] == "no-store"
    world.grow(1)  # more requests, offers, activities, a plan: written through the services
    after, _, from_store = view(app, client, url)
    assert not from_store
    assert page_html(after) != page_html(kept)


def test_a_write_by_another_process_makes_the_page_new(app, world, database, tmp_path):
    """The scheduler and the other web workers have engines of their own: their writes
    raise the same counter."""
    client = sign_in(app, world.worker)
    request_id = world.first.id
    url = f"/hulpvragen/{request_id}"
    client.get(url)
    assert b"Hulp gezocht, vraag 0." in client.get(url).get_data()
    # The test's requests share one session; end its transaction as a request's end would.
    db.session.rollback()
    other = build_app(database[1], tmp_path / "other")
    with other.app_context():
        with db.engine.begin() as conn:
            conn.execute(update(HelpRequest).where(HelpRequest.id == request_id)
                         .values(description="Boodschappen op dinsdag, graag."))
        db.engine.dispose()
    page = client.get(url).get_data()
    assert b"Boodschappen op dinsdag, graag." in page and b"vraag 0." not in page


@pytest.mark.parametrize("page", ["request", "dossier"])
def test_a_page_served_from_the_store_is_audited_like_a_drawn_one(app, world, page):
    role, url_of = PAGES[page]
    worker = world.worker
    client = sign_in(app, worker)
    url = url_of(world)

    def rows() -> list[tuple]:
        db.session.commit()
        return list(db.session.execute(
            select(AuditEvent.action, AuditEvent.subject_user_id, AuditEvent.object_type,
                   AuditEvent.object_id, AuditEvent.ip)
            .where(AuditEvent.actor_user_id == worker.id).order_by(AuditEvent.id)))

    client.get(url)
    before = rows()
    drawn_rows = rows()[len(before) - 1:]
    assert [view(app, client, url)[2] for _ in range(3)] == [False, True, True]
    after = rows()
    assert len(after) == len(before) + 3
    # The same row as the drawn view wrote, each time: who read whose data, from where.
    assert after[len(before):] == drawn_rows * 3
    assert drawn_rows[0][0] in ("request.viewed", "file.viewed")


def test_another_login_session_gets_its_own_page(app, world):
    first = sign_in(app, world.worker)
    second = sign_in(app, world.worker)
    for _ in range(3):
        first.get("/werk/")
    assert view(app, first, "/werk/")[2]
    assert not view(app, second, "/werk/")[2]  # drawn for this session, not the other's page


def test_a_new_minute_draws_the_page_again(app, world):
    client = sign_in(app, world.worker)
    moment = clock_now().replace(second=30, microsecond=0) + timedelta(minutes=1)
    with time_machine.travel(moment, tick=False):
        client.get("/werk/")
        client.get("/werk/")
        assert view(app, client, "/werk/")[2]
    with time_machine.travel(moment + timedelta(seconds=29), tick=False):
        assert view(app, client, "/werk/")[2]
    with time_machine.travel(moment + timedelta(seconds=30), tick=False):
        assert not view(app, client, "/werk/")[2]
    # A clock set back keeps pages again at once (here: two hours ahead, then back to now;
    # the session cookie signed "in the future" is refused then, so sign in again).
    with time_machine.travel(moment + timedelta(hours=2), tick=False):
        client.get("/werk/")
        assert view(app, client, "/werk/")[2]
    client = sign_in(app, world.worker)
    client.get("/werk/")  # starts the new session's CSRF token: not kept
    assert not view(app, client, "/werk/")[2]
    assert view(app, client, "/werk/")[2]


def test_a_flashed_message_is_shown_not_a_kept_page(app, world):
    client = sign_in(app, world.worker)
    for _ in range(3):
        client.get("/werk/")
    with client.session_transaction() as session:
        session["_flashes"] = [("success", "Het voorstel is verstuurd.")]
    assert "Het voorstel is verstuurd." in client.get("/werk/").get_data(as_text=True)
    assert "Het voorstel is verstuurd." not in client.get("/werk/").get_data(as_text=True)


def test_the_counter_rises_once_per_committed_write_and_not_for_reads_or_audit(app, world):
    start = generation()
    db.session.execute(select(HelpRequest.id)).all()
    assert generation() == start  # a read
    audit.record("request.viewed", actor_id=world.worker.id, object_type="help_request",
                 object_id=world.first.id)
    assert generation() == start  # the audit trail alone: page views write it
    from marketplace.scheduling.leader import LeaderGuard

    leader = LeaderGuard(db.engine, lease_seconds=30)
    if db.engine.dialect.name == "sqlite":  # PostgreSQL: an advisory lock, no row
        assert leader.acquire() and leader.renew()
        assert generation() == start  # the scheduler's lease, renewed every 10 s
        leader.release()
        db.session.commit()
        assert generation() == start
    world.first.description = "Iets anders, een keer."
    db.session.flush()
    world.first.description = "Iets anders, twee keer."
    db.session.execute(update(HelpRequest).where(HelpRequest.id == -1).values(description="x"))
    assert generation() == start + 1  # one transaction, one rise
    world.first.description = "Teruggedraaid."
    db.session.flush()
    db.session.rollback()
    assert generation() == start + 1  # rolled back: nothing changed
    assert db.session.scalar(select(func.count()).select_from(HelpRequest)) >= 2


@pytest.mark.parametrize(("statement", "table"), [
    ("INSERT INTO help_request (a) VALUES (1)", "help_request"),
    ('UPDATE "user" SET name = 1', "user"),
    ("DELETE FROM audit_event WHERE at < 1", "audit_event"),
    ("INSERT OR REPLACE INTO throttle_hit (a) VALUES (1)", "throttle_hit"),
    ("  insert into match (a) values (1)", "match"),
    ('TRUNCATE "match", "user" RESTART IDENTITY CASCADE', "match"),
    ("WITH x AS (SELECT 1) UPDATE help_request SET a = 1", ""),
    ("SELECT * FROM help_request", None),
    ("WITH x AS (SELECT 1) SELECT * FROM x", None),
    ("BEGIN IMMEDIATE", None),
    ("SAVEPOINT sa_savepoint_1", None),
    ("CREATE TABLE data_generation (id INTEGER)", None),
])
def test_which_statements_write(statement, table):
    assert written_table(statement) == table


def test_the_store_keeps_the_newest_moment_within_its_budget():
    pages = PageStore(budget=4 * 2048)
    page = Kept(body=b"x" * 900, headers=())
    one, two = (5, "09:00"), (6, "09:00")
    assert pages.put(one, ("a",), page) and pages.put(one, ("b",), page)
    assert pages.get(one, ("a",)) is page
    assert pages.get(two, ("a",)) is None  # written since: not served
    assert pages.put(two, ("c",), page)
    assert pages.get(one, ("b",)) is None and pages.pages.keys() == {("c",)}
    # A clock set back (or a view that began before the write): that moment replaces the
    # store, and a view of the newer moment finds nothing of it.
    assert pages.put(one, ("a",), page) and pages.get(two, ("a",)) is None
    assert not pages.put((7, "09:01"), ("big",), Kept(body=b"x" * 3000, headers=()))
    later = (6, "09:01")
    for key in "defghijk":
        pages.put(later, (key,), page)
    assert pages.used <= pages.budget
    assert ("k",) in pages.pages and ("d",) not in pages.pages  # least recently used first
