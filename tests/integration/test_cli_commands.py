"""The command line of CONTRACT.md §4: what operators and scripts rely on.

Errors are one line on stderr with exit status 1, never a traceback. CliRunner swallows
exceptions, so every invocation also checks that nothing but a clean exit escaped.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from marketplace.accounts.models import ROLES, User
from marketplace.accounts.services import find_by_email
from marketplace.areas import services as areas
from marketplace.areas.models import Area, AreaPostcode
from marketplace.extensions import db
from marketplace.geo import default_gazetteer
from marketplace.notifications.models import OutboxMessage

PASSWORD = "een lang genoeg wachtwoord"


@pytest.fixture()
def cli(runner):
    def invoke(*args: str, input: str | None = None):
        result = runner.invoke(args=list(args), input=input)
        assert result.exception is None or isinstance(result.exception, SystemExit), (
            result.exc_info
        )
        assert "Traceback" not in result.output
        return result

    return invoke


def ok(result) -> str:
    assert result.exit_code == 0, result.output
    return result.stdout


def error_line(result) -> str:
    """The one line an operator sees when a command refuses."""
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: ")
    return lines[0]


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture()
def bladel(make_area):
    make_area("GM1728", "municipality", name="Bladel")
    make_area("GM1728-HAPERT", "core", name="Hapert", parent="GM1728", pc4=("5527",))


# users create -----------------------------------------------------------------------------


def test_users_create_makes_a_confirmed_user_with_roles_and_areas(cli, bladel, client):
    out = ok(cli("users", "create", "Sanne@Example.org", "--role", "worker", "--role", "volunteer",
                 "--area", "GM1728", "--name", "Sanne de Vries"))
    assert out.startswith("created user ")
    user = find_by_email("sanne@example.org")
    assert user.name == "Sanne de Vries"
    assert user.roles == ["volunteer", "worker"]
    assert [a.code for a in user.areas] == ["GM1728"]
    assert user.email_confirmed_at is not None
    assert user.password_hash is None


def test_users_create_twice_adds_roles_and_areas(cli, bladel):
    ok(cli("users", "create", "jan@example.org", "--role", "resident", "--name", "Jan"))
    out = ok(cli("users", "create", "JAN@example.org", "--role", "worker", "--area",
                 "GM1728-HAPERT"))
    assert out.startswith("updated user ")
    ok(cli("users", "create", "jan@example.org", "--role", "Municipality", "--area", "GM1728"))
    assert count(User) == 1
    user = find_by_email("jan@example.org")
    db.session.refresh(user)
    assert user.roles == ["municipality", "resident", "worker"]
    assert sorted(a.code for a in user.areas) == ["GM1728", "GM1728-HAPERT"]
    assert user.name == "Jan"


def test_password_from_stdin_lets_the_user_log_in(cli, client):
    ok(cli("users", "create", "piet@example.org", "--role", "volunteer", "--password-stdin",
           input=PASSWORD + "\n"))
    response = client.post("/inloggen", data={"email": "Piet@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert "/inloggen" not in response.location
    assert client.get("/inloggen").status_code == 302  # signed in: the login page sends on


def test_password_from_stdin_for_an_existing_unconfirmed_user(cli, client, make_user):
    make_user("resident", email="kees@example.org", password=None, confirmed=False)
    ok(cli("users", "create", "kees@example.org", "--role", "resident", "--password-stdin",
           input=PASSWORD + "\r\n"))
    response = client.post("/inloggen", data={"email": "kees@example.org", "password": PASSWORD})
    assert response.status_code == 302


def test_a_new_password_from_stdin_ends_existing_sessions(cli, client, make_user, login):
    user = make_user("volunteer", email="anna@example.org")
    login(user)
    assert client.get("/inloggen").status_code == 302  # signed in
    ok(cli("users", "create", "anna@example.org", "--role", "volunteer", "--password-stdin",
           input=PASSWORD + "\n"))
    assert client.get("/inloggen").status_code == 200  # the old session has ended
    response = client.post("/inloggen", data={"email": "anna@example.org", "password": PASSWORD})
    assert response.status_code == 302


@pytest.mark.parametrize(("args", "stdin", "says"), [
    (["--role", "king"], None, "king"),
    ([], None, "--role"),
    (["--role", "worker", "--area", "NOPE"], None, "NOPE"),
    (["--role", "resident", "--area", "GM1728"], None, "--area"),
    (["--role", "resident", "--password-stdin"], "kort\n", "10"),
    (["--role", "resident", "--password-stdin"], "", "10"),
    (["--role", "resident", "--name", "x" * 121], None, "--name"),
])
def test_users_create_refuses_in_one_line(cli, bladel, args, stdin, says):
    line = error_line(cli("users", "create", "nieuw@example.org", *args, input=stdin))
    assert says in line
    assert find_by_email("nieuw@example.org") is None


def test_users_create_refuses_a_malformed_email(cli):
    line = error_line(cli("users", "create", "geen-mailadres", "--role", "resident"))
    assert "e-mailadres" in line
    assert count(User) == 0


@pytest.mark.parametrize("email", ["", " ", "\t"])
def test_users_create_refuses_an_empty_email(cli, email):
    """An empty EMAIL made a user without e-mail and with an empty name (exit 0)."""
    line = error_line(cli("users", "create", email, "--role", "resident"))
    assert "EMAIL" in line and "empty" in line
    assert count(User) == 0


@pytest.mark.parametrize("name", ["", "  "])
def test_users_create_refuses_an_empty_name(cli, name):
    line = error_line(cli("users", "create", "leeg@example.org", "--role", "resident",
                          "--name", name))
    assert "--name" in line
    assert count(User) == 0


@pytest.mark.parametrize("email", ["a@x.test", "Tester@Example.test", "a@example.org",
                                   "a@example.com"])
def test_users_create_accepts_addresses_on_test_domains(cli, email):
    out = ok(cli("users", "create", email, "--role", "resident"))
    assert out.startswith("created user ") and email.lower() in out
    assert find_by_email(email).email == email.lower()


@pytest.mark.parametrize("email", ["a@x", "a@localhost", "a@x.invalid", "a@@x.test",
                                   "a b@x.test", "@x.test"])
def test_users_create_still_refuses_malformed_and_reserved_addresses(cli, email):
    assert "e-mailadres" in error_line(cli("users", "create", email, "--role", "resident"))
    assert count(User) == 0


# users token ------------------------------------------------------------------------------


def test_users_token_prints_one_line_that_authenticates(cli, client, make_user, bladel):
    user = make_user("worker", email="w@example.org", areas=(areas.get_by_code("GM1728"),))
    first = ok(cli("users", "token", "W@example.org"))
    second = ok(cli("users", "token", "w@example.org"))
    assert first.endswith("\n") and first.count("\n") == 1
    token = first.strip()
    assert token and " " not in token and token != second.strip()
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert response.get_json() == {"id": user.id, "email": "w@example.org", "name": user.name,
                                   "roles": ["worker"], "areas": ["GM1728"]}
    assert client.get("/api/v1/me", headers={"Authorization": "Bearer bm_wrong"}).status_code == 401


def test_users_token_refuses_unknown_and_blocked_users(cli, make_user):
    assert "nobody@example.org" in error_line(cli("users", "token", "nobody@example.org"))
    user = make_user("resident", email="blocked@example.org")
    user.is_active = False
    db.session.commit()
    assert "blocked" in error_line(cli("users", "token", "blocked@example.org"))


# geo locate -------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "display"), [
    ("3511 AB", "3511 AB"), ("3511AB", "3511 AB"), ("3511ab", "3511 AB"), ("3511", "3511"),
])
def test_geo_locate_prints_the_pc4_centroid(cli, text, display):
    data = json.loads(ok(cli("geo", "locate", text)))
    assert set(data) == {"postcode", "pc4", "lat", "lon", "place", "province"}
    assert data["postcode"] == display
    assert data["pc4"] == "3511"
    assert (data["place"], data["province"]) == ("Utrecht", "Utrecht")
    assert 52.0 < data["lat"] < 52.2 and 5.0 < data["lon"] < 5.2


@pytest.mark.parametrize(("text", "kind"), [
    ("35110", "malformed"), ("abcd", "malformed"), ("0511", "malformed"), ("", "malformed"),
    ("3511 SS", "malformed"), ("35\n11", "malformed"), ("1000", "unknown"),
])
def test_geo_locate_refuses_malformed_and_unknown_postcodes(cli, text, kind):
    assert kind in error_line(cli("geo", "locate", text))


# areas create -----------------------------------------------------------------------------


def test_areas_create_is_idempotent(cli):
    args = ("areas", "create", "GM1728", "--name", "Bladel", "--kind", "municipality",
            "--pc4", "5531,5527")
    first = ok(cli(*args))
    assert ok(cli(*args)) == first
    assert "2 PC4" in first
    assert count(Area) == 1
    assert [p.pc4 for p in areas.get_by_code("GM1728").postcodes] == ["5527", "5531"]


def test_areas_create_moves_listed_pc4_but_not_out_of_a_sub_area(cli):
    ok(cli("areas", "create", "RG", "--name", "Kempen", "--kind", "region"))
    ok(cli("areas", "create", "GM1728", "--name", "Bladel", "--kind", "municipality",
           "--parent", "RG", "--pc4", "5531,5527"))
    ok(cli("areas", "create", "GM1728-HAPERT", "--name", "Hapert", "--kind", "core",
           "--parent", "GM1728", "--pc4", "5527"))
    assert areas.area_for_pc4("5527").code == "GM1728-HAPERT"   # moved down
    assert areas.area_for_pc4("5531").code == "GM1728"
    # Listing Hapert's PC4 for the municipality again leaves it in the core below.
    ok(cli("areas", "create", "GM1728", "--name", "Bladel", "--kind", "municipality",
           "--parent", "RG", "--pc4", "5527"))
    assert areas.area_for_pc4("5527").code == "GM1728-HAPERT"
    # Another municipality takes 5531 away from Bladel.
    out = ok(cli("areas", "create", "GM0770", "--name", "Eersel", "--kind", "municipality",
                 "--parent", "RG", "--pc4", "5531 5521"))
    assert "2 PC4" in out
    assert areas.area_for_pc4("5531").code == "GM0770"
    assert areas.pc4s_in(areas.get_by_code("GM1728")) == ["5527"]
    assert areas.pc4s_in(areas.get_by_code("RG")) == ["5521", "5527", "5531"]


def test_areas_create_without_parent_keeps_the_existing_parent(cli):
    ok(cli("areas", "create", "GM1728", "--name", "Bladel", "--kind", "municipality"))
    ok(cli("areas", "create", "HAPERT", "--name", "Hapert", "--kind", "core",
           "--parent", "GM1728"))
    ok(cli("areas", "create", "HAPERT", "--name", "Hapert", "--kind", "core", "--pc4", "5527"))
    hapert = areas.get_by_code("HAPERT")
    assert hapert.parent.code == "GM1728"
    assert hapert.path == f"/{hapert.parent.id}/{hapert.id}/"


@pytest.mark.parametrize(("args", "says"), [
    (["--kind", "village"], "village"),
    (["--kind", "core", "--parent", "NOPE"], "NOPE"),
    (["--kind", "municipality", "--parent", "GM1728-HAPERT"], "kern"),
    (["--kind", "core", "--parent", "GM1728", "--pc4", "5531,0000,12345"], "0000, 12345"),
    (["--kind", "core", "--parent", "GM1728", "--pc4", "1000"], "1000"),
    (["--kind", "core", "--name", "x" * 121], "120"),
])
def test_areas_create_refuses_in_one_line(cli, bladel, args, says):
    name = [] if "--name" in args else ["--name", "Nieuw"]
    line = error_line(cli("areas", "create", "NEW", *name, *args))
    assert says in line
    assert areas.get_by_code("NEW") is None
    assert count(AreaPostcode) == 1


def test_areas_create_refuses_to_make_a_cycle(cli, bladel):
    line = error_line(cli("areas", "create", "GM1728", "--name", "Bladel",
                          "--kind", "neighbourhood", "--parent", "GM1728-HAPERT"))
    assert "onder zichzelf" in line
    assert areas.get_by_code("GM1728").kind == "municipality"


# jobs -------------------------------------------------------------------------------------


def test_jobs_list_shows_each_job_with_its_trigger(cli):
    out = ok(cli("jobs", "list"))
    relay = next(line for line in out.splitlines() if line.startswith("outbox_relay"))
    assert "interval" in relay


def queue_mail(at: datetime) -> None:
    db.session.add(OutboxMessage(to_address="a@example.org", subject="Hallo", body_text="Hoi\n",
                                 created_at=at, next_attempt_at=at))
    db.session.commit()


def test_jobs_run_due_as_of_a_moment_handles_everything_once(cli, app, tmp_path):
    queue_mail(datetime(2026, 3, 2, 9, 30, tzinfo=UTC))  # 10:30 in the Netherlands
    # A moment without zone is Dutch time: 10:00 there is before the mail is due.
    early = json.loads(ok(cli("jobs", "run-due", "--at", "2026-03-02T10:00")))
    assert early["outbox_relay"] == 0 and not any(early.values())
    result = json.loads(ok(cli("jobs", "run-due", "--at", "2026-03-02T10:31:00+01:00")))
    assert result["outbox_relay"] == 1
    assert all(isinstance(v, int) for v in result.values())
    again = json.loads(ok(cli("jobs", "run-due", "--at", "2026-03-02T10:31:00+01:00")))
    assert set(again) == set(result) and not any(again.values())
    assert len(list((tmp_path / "outbox").glob("*.eml"))) == 1


def test_jobs_run_due_defaults_to_now(cli):
    queue_mail(datetime(2020, 1, 1, tzinfo=UTC))
    assert json.loads(ok(cli("jobs", "run-due")))["outbox_relay"] == 1


def test_jobs_run_due_refuses_a_bad_moment(cli):
    assert "ISO-8601" in error_line(cli("jobs", "run-due", "--at", "morgen"))


def test_an_unexpected_failure_is_still_one_line(cli, monkeypatch):
    import marketplace.jobs

    def broken(now):
        raise RuntimeError("disk full\nsecond line")

    monkeypatch.setattr(marketplace.jobs, "run_due", broken)
    assert error_line(cli("jobs", "run-due")) == "Error: RuntimeError: disk full"


# demo seed --------------------------------------------------------------------------------


def test_demo_seed_twice_adds_nothing_the_second_time(cli):
    first = json.loads(ok(cli("demo", "seed")))
    assert first["areas_added"] > 0 and first["users_added"] > 0
    counts = (count(Area), count(AreaPostcode), count(User))
    second = json.loads(ok(cli("demo", "seed")))
    assert set(second) == set(first) and not any(second.values())
    assert (count(Area), count(AreaPostcode), count(User)) == counts


def test_demo_seed_loads_a_real_region_and_one_account_per_role(cli, client):
    ok(cli("demo", "seed"))
    regions = db.session.scalars(select(Area).where(Area.kind == "region")).all()
    assert len(regions) == 1
    below = [db.session.get(Area, i) for i in areas.subtree_ids(regions)]
    municipalities = [a for a in below if a.kind == "municipality"]
    assert len(municipalities) >= 3
    assert all(m.parent_id == regions[0].id for m in municipalities)
    assert any(a.kind == "district" for a in below)
    assert any(a.kind == "core" for a in below)
    pc4s = areas.pc4s_in(regions[0])
    assert pc4s and count(AreaPostcode) == len(pc4s)
    gazetteer = default_gazetteer()
    assert all(gazetteer.get(pc4) is not None for pc4 in pc4s)
    for core in (a for a in below if a.kind == "core"):
        # A village core's PC4 codes lie in that village.
        assert {gazetteer.get(p.pc4).place for p in core.postcodes} == {core.name}, core.code
    users = db.session.scalars(select(User)).all()
    assert {role for user in users for role in user.roles} == set(ROLES)
    for user in users:
        if user.has_role("worker", "municipality"):
            assert user.areas, user.email
    from marketplace.demo.data import DEMO_PASSWORD

    admin = next(u for u in users if u.has_role("admin"))
    response = client.post("/inloggen", data={"email": admin.email, "password": DEMO_PASSWORD})
    assert response.status_code == 302
