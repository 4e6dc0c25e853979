"""Flask commands (CONTRACT.md §4). Errors: one clear line on stderr, non-zero exit."""

from __future__ import annotations

import json
import sys
from datetime import datetime

import click
from flask import Flask
from flask.cli import AppGroup

from marketplace.clock import DOMAIN_TZ, as_utc
from marketplace.clock import now as clock_now
from marketplace.errors import DomainError
from marketplace.extensions import db

users_cli = AppGroup("users", help="Accounts and API tokens.")
areas_cli = AppGroup("areas", help="Areas and their PC4 codes.")
geo_cli = AppGroup("geo", help="Offline geography.")
demo_cli = AppGroup("demo", help="Demo data of a real Dutch region.")
jobs_cli = AppGroup("jobs", help="The scheduled sweeps.")
scheduler_cli = AppGroup("scheduler", help="The one scheduler process.")


def fail(message: str) -> None:
    db.session.rollback()
    raise click.ClickException(message)


@users_cli.command("create")
@click.argument("email")
@click.option("--role", "roles", multiple=True, required=True,
              type=click.Choice(["resident", "volunteer", "association", "worker",
                                 "municipality", "admin"]))
@click.option("--area", "area_codes", multiple=True, help="Area code (repeatable).")
@click.option("--name", default=None)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def users_create(email, roles, area_codes, name, password_stdin):
    """Create a user, or add roles and areas to an existing one."""
    from marketplace.accounts import services as accounts
    from marketplace.accounts.passwords import hash_password
    from marketplace.areas.services import get_by_code

    password = sys.stdin.readline().rstrip("\r\n") if password_stdin else None
    areas = []
    for code in area_codes:
        area = get_by_code(code)
        if area is None:
            fail(f"area {code!r} does not exist (create it with 'flask areas create')")
        areas.append(area)
    try:
        user = accounts.find_by_email(email)
        if user is None:
            user = accounts.create_user(email, name or email.split("@")[0], password=password,
                                        roles=roles, areas=areas, confirmed=True)
            verb = "created"
        else:
            accounts.set_roles(user, set(user.roles) | set(roles))
            accounts.set_areas(user, {a.id: a for a in [*user.areas, *areas]}.values())
            if name:
                user.name = name
            if password is not None:
                accounts.check_password_strength(password)
                user.password_hash = hash_password(password)
            verb = "updated"
    except DomainError as error:
        fail(error.message)
    db.session.commit()
    area_list = ",".join(sorted(a.code for a in user.areas)) or "-"
    click.echo(f"{verb} user {user.id} {user.email} roles={','.join(user.roles)} areas={area_list}")


@users_cli.command("token")
@click.argument("email")
@click.option("--label", default="cli")
def users_token(email, label):
    """Print a new API bearer token for this user (stored hashed)."""
    from marketplace.accounts.services import find_by_email
    from marketplace.accounts.sessions import issue_api_token

    user = find_by_email(email)
    if user is None:
        fail(f"no user with e-mail {email}")
    token = issue_api_token(user, label=label)
    db.session.commit()
    click.echo(token)


@areas_cli.command("create")
@click.argument("code")
@click.option("--name", required=True)
@click.option("--kind", required=True,
              type=click.Choice(["region", "municipality", "district", "core", "neighbourhood"]))
@click.option("--parent", "parent_code", default=None)
@click.option("--pc4", "pc4_list", default="", help="Comma-separated PC4 codes.")
def areas_create(code, name, kind, parent_code, pc4_list):
    """Create or update an area; the listed PC4 codes now belong to it (idempotent)."""
    from marketplace.areas.services import parse_pc4_list, pc4s_in, save_area

    try:
        area = save_area(code, name, kind, parent_code=parent_code,
                         pc4=parse_pc4_list(pc4_list))
    except DomainError as error:
        fail(error.message)
    db.session.commit()
    click.echo(f"area {area.code} ({area.kind}) {area.name}: {len(pc4s_in(area))} PC4 code(s)")


@geo_cli.command("locate")
@click.argument("postcode")
def geo_locate(postcode):
    """Print the PC4 centroid of a Dutch postcode as JSON."""
    from marketplace.geo import InvalidPostcode, UnknownPostcode, default_gazetteer, parse_postcode

    try:
        parsed = parse_postcode(postcode)
        place = default_gazetteer().require(parsed.pc4)
    except UnknownPostcode:
        raise click.ClickException(f"unknown postcode: {postcode.strip()}") from None
    except InvalidPostcode:
        raise click.ClickException(
            f"malformed postcode: {postcode.strip()!r} (use 1234 AB, 1234AB or 1234)"
        ) from None
    click.echo(json.dumps({"postcode": parsed.display, "pc4": place.pc4, "lat": place.lat,
                           "lon": place.lon, "place": place.place,
                           "province": place.province}, ensure_ascii=False))


@demo_cli.command("seed")
def demo_seed():
    """Load the demo region and accounts (idempotent)."""
    from marketplace.demo.seed import seed

    summary = seed()
    db.session.commit()
    click.echo(json.dumps(summary, ensure_ascii=False))


@jobs_cli.command("list")
def jobs_list():
    """The scheduled jobs and their triggers."""
    from marketplace.jobs import JOBS

    for job in JOBS:
        click.echo(f"{job.name}\t{job.describe_trigger()}\t{job.description}")


def parse_moment(value: str | None) -> datetime:
    """ISO-8601; without a zone it is a time in the Netherlands."""
    if not value:
        return clock_now()
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise click.ClickException(
            f"--at {value!r} is not an ISO-8601 moment (e.g. 2026-12-01T09:00)"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=DOMAIN_TZ)
    return as_utc(moment)


@jobs_cli.command("run-due")
@click.option("--at", "at", default=None, help="ISO-8601 moment (default: now).")
def jobs_run_due(at):
    """Run every sweep as of that moment; print {job_name: items_handled}."""
    from marketplace.jobs import run_due

    click.echo(json.dumps(run_due(parse_moment(at))))


@scheduler_cli.command("run")
@click.option("--wait", is_flag=True,
              help="If another scheduler is active, stay passive and take over when it stops.")
@click.pass_context
def scheduler_run(ctx, wait):
    """Run the one scheduler process (refuses to become a second active one)."""
    from flask import current_app

    from marketplace.scheduling.runner import NotLeader, run_scheduler

    try:
        run_scheduler(current_app._get_current_object(), wait=wait)
    except NotLeader as error:
        raise click.ClickException(
            f"another scheduler is already active on this database ({error}); not starting"
        ) from None


def init_cli(app: Flask) -> None:
    for group in (users_cli, areas_cli, geo_cli, demo_cli, jobs_cli, scheduler_cli):
        app.cli.add_command(group)
