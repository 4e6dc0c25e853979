"""Creating and changing accounts, roles and areas. Services flush; callers commit."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import and_, func, or_, select

from marketplace.accounts import audit
from marketplace.accounts.models import ROLES, User, UserRole
from marketplace.accounts.passwords import MIN_LENGTH, hash_password
from marketplace.areas.models import Area
from marketplace.clock import now as clock_now
from marketplace.errors import N_, DomainError, NotFound
from marketplace.extensions import db

AREA_ROLES = ("worker", "municipality")


def normalise_email(email: str) -> str:
    """Lower-case and validate the syntax (no DNS lookup: we work offline).

    Addresses on the special-use test domains (``@x.test``, like ``@example.org``) are
    accepted: test and demo set-ups and outside checkers use them; malformed addresses and
    the other reserved names (``.invalid``, ``.local``, ``localhost``) are still refused."""
    try:
        return validate_email(email.strip(), check_deliverability=False,
                              test_environment=True).normalized.lower()
    except EmailNotValidError:
        raise DomainError(N_("Dit is geen geldig e-mailadres."), field="email") from None


def check_password_strength(password: str) -> None:
    if len(password) < MIN_LENGTH:
        raise DomainError(
            N_("Kies een wachtwoord van minstens %(min_length)s tekens.",
               min_length=MIN_LENGTH), field="password"
        )


def find_by_email(email: str) -> User | None:
    try:
        email = normalise_email(email)
    except DomainError:
        return None
    return db.session.scalar(select(User).where(func.lower(User.email) == email))


def get_user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(N_("Deze gebruiker bestaat niet."))
    return user


def create_user(
    email: str | None,
    name: str,
    *,
    password: str | None = None,
    roles: Iterable[str] = ("resident",),
    areas: Iterable[Area] = (),
    confirmed: bool = False,
    actor_id: int | None = None,
    now: datetime | None = None,
) -> User:
    now = now or clock_now()
    normalised = normalise_email(email) if email else None
    if normalised and find_by_email(normalised):
        raise DomainError(N_("Er is al een account met dit e-mailadres."), field="email")
    if password is not None:
        check_password_strength(password)
    user = User(
        email=normalised,
        name=name.strip() or (normalised or "").split("@")[0],
        password_hash=hash_password(password) if password else None,
        email_confirmed_at=now if confirmed else None,
        created_at=now,
    )
    db.session.add(user)
    db.session.flush()
    set_roles(user, roles, actor_id=actor_id)
    set_areas(user, areas, actor_id=actor_id)
    audit.record("user.created", actor_id=actor_id, subject_user_id=user.id, now=now)
    return user


def set_roles(user: User, roles: Iterable[str], *, actor_id: int | None = None) -> None:
    wanted = set(roles)
    unknown = wanted - set(ROLES)
    if unknown:
        raise DomainError(N_("Onbekende rol: %(roles)s.", roles=", ".join(sorted(unknown))),
                          field="roles")
    current = {row.role for row in user.role_rows}
    if wanted == current:
        return
    user.role_rows = [row for row in user.role_rows if row.role in wanted]
    for role in sorted(wanted - current):
        user.role_rows.append(UserRole(role=role))
    db.session.flush()
    audit.record(
        "user.roles_changed",
        actor_id=actor_id,
        subject_user_id=user.id,
        detail={"before": sorted(current), "after": sorted(wanted)},
    )


def set_areas(user: User, areas: Iterable[Area], *, actor_id: int | None = None) -> None:
    wanted = {area.id: area for area in areas}
    current = {area.id for area in user.areas}
    if set(wanted) == current:
        return
    user.areas = list(wanted.values())
    db.session.flush()
    audit.record(
        "user.areas_changed",
        actor_id=actor_id,
        subject_user_id=user.id,
        detail={"before": sorted(current), "after": sorted(wanted)},
    )


def update_profile(user: User, *, name: str, locale: str | None = None) -> None:
    user.name = name.strip()
    if locale is not None:
        user.locale = locale or None
    db.session.flush()


def set_active(user: User, active: bool, *, actor_id: int | None = None) -> None:
    from marketplace.accounts.sessions import revoke_all_sessions

    if user.is_active == active:
        return
    user.is_active = active
    if not active:
        revoke_all_sessions(user)
    audit.record(
        "user.activated" if active else "user.deactivated",
        actor_id=actor_id,
        subject_user_id=user.id,
    )
    db.session.flush()


@dataclass
class UserPage:
    """One page of the user list, in (name, id) order."""

    users: list[User]
    total: int  # every user the search finds
    before: int  # how many of them come before this page
    has_previous: bool
    has_next: bool


def search_users(query: str = "", role: str | None = None, *, limit: int = 50,
                 after: int | None = None, before: int | None = None) -> UserPage:
    """Users whose name or e-mail holds `query`, with `role`; one page by keyset on (name,
    id): the page after user `after`, or the page before user `before` (a user that is gone
    or outside the search: the first page)."""
    stmt = select(User)
    query = query.replace("\x00", "").strip()  # PostgreSQL refuses NUL in text
    if query:
        like = f"%{query.lower()}%"
        stmt = stmt.where(or_(func.lower(User.email).like(like), func.lower(User.name).like(like)))
    if role:
        stmt = stmt.where(User.id.in_(select(UserRole.user_id).where(UserRole.role == role)))
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    mark_id = after if after is not None else before
    mark = db.session.execute(stmt.with_only_columns(User.name, User.id).where(
        User.id == mark_id)).first() if mark_id is not None else None
    rows: list[User] = []
    if mark is not None and after is not None:
        later = or_(User.name > mark.name, and_(User.name == mark.name, User.id > mark.id))
        rows = list(db.session.scalars(stmt.where(later).order_by(User.name, User.id)
                                       .limit(limit + 1)))
        more = len(rows) > limit
    elif mark is not None:
        sooner = or_(User.name < mark.name, and_(User.name == mark.name, User.id < mark.id))
        rows = list(db.session.scalars(stmt.where(sooner).order_by(
            User.name.desc(), User.id.desc()).limit(limit)))[::-1]
        more = True  # the user it came back from
    if not rows:  # the first page (also for a mark past either end)
        rows = list(db.session.scalars(stmt.order_by(User.name, User.id).limit(limit + 1)))
        more, mark = len(rows) > limit, None
    rows = rows[:limit]
    ahead = 0
    if mark is not None:
        first = rows[0]
        ahead = db.session.scalar(select(func.count()).select_from(stmt.where(or_(
            User.name < first.name, and_(User.name == first.name, User.id < first.id)))
            .subquery())) or 0
    return UserPage(rows, total, ahead, ahead > 0, more)
