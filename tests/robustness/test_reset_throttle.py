"""The password-reset and registration limits live in the database: they hold across workers
(two apps on one database stand in for two worker processes) and across a restart."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from marketplace.accounts.models import User
from marketplace.accounts.throttle import Limit, ThrottleHit, allow, register_limit
from marketplace.clock import now
from marketplace.extensions import db
from tests.conftest import TEST_PASSWORD, build_app

URL = "/wachtwoord-vergeten"


def test_the_limit_holds_across_two_workers(app, make_user, tmp_path, outbox_files):
    email = make_user("resident").email
    db.session.rollback()  # the test's own context holds no SQLite lock while workers run
    second = build_app(app.config["SQLALCHEMY_DATABASE_URI"], tmp_path / "worker2")
    workers = [app.test_client(), second.test_client()]
    statuses = []
    for attempt in range(8):  # alternating between the two "workers"
        statuses.append(workers[attempt % 2].post(URL, data={"email": email}).status_code)
        db.session.rollback()  # the test's own context: hold no SQLite lock between requests
    assert statuses == [200] * 5 + [429] * 3  # 5 an hour per address, whichever worker
    refused = workers[0].post(URL, data={"email": email})
    db.session.rollback()
    assert refused.headers["Retry-After"] == "3600"
    assert "Wacht een uur" in refused.get_data(as_text=True)
    with second.app_context():
        db.engine.dispose()
    assert len(outbox_files()) == 5


def test_per_ip_across_addresses_and_the_window_passes(app):
    limit = Limit(per_ip=3, per_address=5, window=timedelta(hours=1))
    start = now()
    assert [allow("password_reset", ip="203.0.113.9", address=f"p{i}@example.org",
                  limit=limit, now=start) for i in range(4)] == [True, True, True, False]
    later = start + timedelta(hours=1, minutes=1)
    assert allow("password_reset", ip="203.0.113.9", address="p9@example.org", limit=limit,
                 now=later)
    db.session.commit()
    # Old rows are pruned as new ones come; no address or IP is stored in the clear.
    assert db.session.scalar(select(func.count()).select_from(ThrottleHit)) == 2
    keys = db.session.scalars(select(ThrottleHit.key)).all()
    assert all(len(key) == 64 and "@" not in key and "203.0" not in key for key in keys)


def test_the_address_is_counted_however_it_is_spelled(app):
    limit = Limit(per_ip=100, per_address=2, window=timedelta(hours=1))
    spellings = ["Jan@Example.org", " jan@example.org", "JAN@EXAMPLE.ORG"]
    assert [allow("password_reset", ip=f"198.51.100.{i}", address=address, limit=limit)
            for i, address in enumerate(spellings)] == [True, True, False]


def test_the_registration_limit_holds_across_two_workers(app, tmp_path, outbox_files):
    """Creating accounts: 10 an hour per IP in the database (was Flask-Limiter's per-process
    memory), also when the attempts alternate between two workers; refused ones count."""
    second = build_app(app.config["SQLALCHEMY_DATABASE_URI"], tmp_path / "worker2")
    workers = [app.test_client(), second.test_client()]
    db.session.rollback()
    statuses = []
    for attempt in range(12):
        statuses.append(workers[attempt % 2].post("/account-maken", data={
            "name": f"Nieuw {attempt}", "email": f"nieuw{attempt}@example.org",
            "password": TEST_PASSWORD, "password_again": TEST_PASSWORD}).status_code)
        db.session.rollback()
    assert statuses == [200] * 10 + [429] * 2
    refused = workers[1].post("/account-maken", data={
        "name": "Nog een", "email": "nogeen@example.org", "password": TEST_PASSWORD,
        "password_again": TEST_PASSWORD})
    db.session.rollback()
    assert refused.status_code == 429 and refused.headers["Retry-After"] == "3600"
    assert "te vaak een account" in refused.get_data(as_text=True)
    with second.app_context():
        db.engine.dispose()
    assert db.session.scalar(select(func.count()).select_from(User)) == 10


def test_one_address_cannot_be_registered_over_and_over(app):
    limit = register_limit(app.config)
    assert [allow("register", ip=f"192.0.2.{i}", address="Doel@example.org", limit=limit)
            for i in range(4)] == [True, True, True, False]


def test_no_limit_lives_in_process_memory():
    """Every limit of the app is counted in the database (this file and the login throttle):
    no module uses Flask-Limiter, whose default storage is per-process memory."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    users = [str(path.relative_to(root)) for path in (root / "marketplace").rglob("*.py")
             if "flask_limiter" in path.read_text(encoding="utf-8")]
    assert users == []
