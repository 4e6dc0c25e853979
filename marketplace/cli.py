"""Flask commands (README, "Command line"). Errors: one clear line on stderr, non-zero exit."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from typing import NoReturn

import click
from flask import Flask, has_app_context
from flask.cli import AppGroup

from marketplace.accounts.models import ROLES
from marketplace.accounts.services import AREA_ROLES
from marketplace.areas.models import AREA_KINDS
from marketplace.clock import DOMAIN_TZ, as_utc
from marketplace.clock import now as clock_now
from marketplace.errors import DomainError
from marketplace.extensions import db

NAME_MAX = 120


def _one_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


class OneLineCommand(click.Command):
    """Every failure ends in one line on stderr and exit status 1, never a traceback.

    Scripts and operators read the last line; Click's usage block and Python tracebacks
    would bury the cause, so both become a single "Error: ..." line.
    """

    def make_context(self, info_name, args, parent=None, **extra):
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except click.exceptions.NoArgsIsHelpError:
            raise
        except click.UsageError as error:
            path = error.ctx.command_path if error.ctx else info_name
            raise click.ClickException(
                f"{_one_line(error.format_message())} (see '{path} --help')"
            ) from None

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except DomainError as error:
            _rollback()
            raise click.ClickException(_one_line(error.message)) from None
        except Exception as error:
            _rollback()
            raise click.ClickException(
                f"{type(error).__name__}: {_one_line(str(error)) or 'unexpected error'}"
            ) from None


class CommandGroup(AppGroup):
    command_class = OneLineCommand


users_cli = CommandGroup("users", help="Accounts and API tokens.")
areas_cli = CommandGroup("areas", help="Areas and their PC4 codes.")
geo_cli = CommandGroup("geo", help="Offline geography.")
demo_cli = CommandGroup("demo", help="Demo data of a real Dutch region.")
jobs_cli = CommandGroup("jobs", help="The scheduled sweeps.")
scheduler_cli = CommandGroup("scheduler", help="The one scheduler process.")


def _rollback() -> None:
    if has_app_context():
        db.session.rollback()


def fail(message: str) -> NoReturn:
    _rollback()
    raise click.ClickException(message)


@users_cli.command("create")
@click.argument("email")
@click.option("--role", "roles", multiple=True, required=True,
              type=click.Choice(ROLES, case_sensitive=False), help="Role (repeatable).")
@click.option("--area", "area_codes", multiple=True,
              help="Area code (repeatable): a worker or municipality user works there.")
@click.option("--name", default=None)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.option("--partner", "partner_ref", default=None,
              help="A partner contact's organisation (id or exact name).")
def users_create(email, roles, area_codes, name, password_stdin, partner_ref=None):
    """Create a user, or add roles and areas to an existing one."""
    from marketplace.accounts import audit
    from marketplace.accounts import services as accounts
    from marketplace.accounts.passwords import hash_password
    from marketplace.accounts.sessions import revoke_all_sessions
    from marketplace.areas.services import get_by_code

    if not email.strip():
        fail("EMAIL must be an e-mail address, not empty")
    if name is not None and (not 0 < len(name.strip()) <= NAME_MAX
                             or any(ord(char) < 32 for char in name)):
        fail(f"--name must be 1 to {NAME_MAX} characters, without control characters")
    password = None
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        accounts.check_password_strength(password)
    areas = []
    for code in area_codes:
        area = get_by_code(code)
        if area is None:
            fail(f"area {code!r} does not exist (create it with 'flask areas create')")
        areas.append(area)
    user = accounts.find_by_email(email)
    all_roles = set(roles) | set(user.roles if user else ())
    partner = None
    if partner_ref is not None:
        from marketplace.partners.services import find_partner

        partner = find_partner(partner_ref)
        if partner is None:
            fail(f"partner organisation {partner_ref.strip()!r} does not exist")
        if "partner" not in all_roles:
            fail("--partner is only for a partner contact (add --role partner)")
    if areas and not all_roles & set(AREA_ROLES):
        fail("--area is only for a worker or municipality user (add --role worker or "
             "--role municipality)")
    if user is None:
        user = accounts.create_user(email, name or email.split("@")[0], password=password,
                                    roles=roles, areas=areas, confirmed=True)
        verb = "created"
    else:
        accounts.set_roles(user, all_roles)
        accounts.set_areas(user, {a.id: a for a in [*user.areas, *areas]}.values())
        if name:
            user.name = name.strip()
        if password is not None:
            user.password_hash = hash_password(password)
            # The operator vouches for the address, as for a new user; a new password ends
            # every login session, as a change through the site does.
            user.email_confirmed_at = user.email_confirmed_at or clock_now()
            revoke_all_sessions(user)
            audit.record("user.password_changed", actor_id=None, subject_user_id=user.id)
        verb = "updated"
    if partner is not None:
        from marketplace.partners.services import set_contact

        set_contact(user, partner)
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
        fail(f"no user with e-mail {email.strip()}")
    if not user.is_active:
        fail(f"user {user.email} is blocked; a token would not work")
    token = issue_api_token(user, label=label[:80])
    db.session.commit()
    click.echo(token)


@areas_cli.command("create")
@click.argument("code")
@click.option("--name", required=True)
@click.option("--kind", required=True, type=click.Choice(AREA_KINDS, case_sensitive=False))
@click.option("--parent", "parent_code", default=None,
              help="Code of the area above it; left out, an existing area keeps its parent.")
@click.option("--pc4", "pc4_list", default="", help="Comma-separated PC4 codes.")
def areas_create(code, name, kind, parent_code, pc4_list):
    """Create or update an area; the listed PC4 codes now belong to it (idempotent)."""
    from marketplace.areas.services import get_by_code, pc4s_in, save_area

    existing = get_by_code(code)
    if parent_code is None and existing is not None and existing.parent is not None:
        parent_code = existing.parent.code
    area = save_area(code, name, kind, parent_code=parent_code, pc4=pc4_list)
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
    from marketplace.brokering.batch_cli import matching_cli  # circular: it uses this module

    app.cli.add_command(matching_cli)
