"""Demo associations and activities (idempotent): the Dorpsraad Hapert, whose board member
is the demo account vereniging@, runs a weekly coffee morning that is full (with a waiting
list) and a one-off cycling tour; the Zonnebloem in Eersel cooks together every other week;
the sports club in Reusel has weekly exercise for older people, without a limit."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from marketplace.accounts import services as accounts
from marketplace.accounts.models import User
from marketplace.associations.models import Activity, Association
from marketplace.associations.services import (
    ActivityInput,
    add_member,
    create_activity,
    create_association,
    is_member,
    signup,
)
from marketplace.clock import DOMAIN_TZ
from marketplace.clock import now as clock_now
from marketplace.demo.data import DEMO_DOMAIN, DEMO_PASSWORD
from marketplace.extensions import db

# name, postcode, description, contact, board member (local part, name)
ASSOCIATIONS = (
    ("Dorpsraad Hapert", "5527", "De dorpsraad organiseert ontmoeting en activiteiten voor "
     "iedereen in Hapert.", "dorpsraad@hapert.example.org", ("vereniging", "Dorpsraad Hapert")),
    ("Zonnebloem afdeling Eersel", "5521", "Vrijwilligers die uitjes en samen koken "
     "organiseren voor mensen die er niet makkelijk zelf op uit gaan.",
     "eersel@zonnebloem.example.org", ("zonnebloem.eersel", "Marja Verhoeven")),
    ("Sportclub Reusel", "5541", "Bewegen in de buurt, voor jong en oud.",
     "info@sportclubreusel.example.org", ("sportclub.reusel", "Henk Bergmans")),
)
# association, title, category, postcode, venue, day offset, hour, recurrence, capacity,
# accessible, for whom
ACTIVITIES = (
    ("Dorpsraad Hapert", "Koffieochtend voor ouderen", "companionship", "5527",
     "Dorpshuis De Pan, Hapert", 3, 10, "weekly", 4, True, "Ouderen uit Hapert en omgeving"),
    ("Dorpsraad Hapert", "Fietstocht door de Kempen", "companionship", "5527",
     "Start bij de kerk, Hapert", 10, 13, "none", None, False, "Iedereen die kan fietsen"),
    ("Zonnebloem afdeling Eersel", "Samen koken en eten", "meals", "5521",
     "Buurthuis 't Hofke, Eersel", 5, 17, "biweekly", 8, True,
     "Mensen die niet graag alleen eten"),
    ("Sportclub Reusel", "Bewegen voor senioren", "companionship", "5541",
     "Sporthal De Kraaijenberg, Reusel", 2, 9, "weekly", None, True, "65-plussers"),
)
# Residents who signed up for the coffee morning: four places, so the last two wait.
PARTICIPANTS = (
    ("inwoner", "Riek van den Broek"),
    ("gerda.inwoner", "Gerda Swinkels"),
    ("toon.inwoner", "Toon van Hoof"),
    ("lies.inwoner", "Lies Meulendijks"),
    ("kees.inwoner", "Kees Bullens"),
    ("door.inwoner", "Door Smulders"),
)


def _user(local: str, name: str, role: str) -> User:
    email = f"{local}@{DEMO_DOMAIN}"
    return accounts.find_by_email(email) or accounts.create_user(
        email, name, password=DEMO_PASSWORD, roles=(role,), confirmed=True)


def _start(now: datetime, days: int, hour: int) -> datetime:
    local = (now + timedelta(days=days)).astimezone(DOMAIN_TZ)
    return local.replace(hour=hour, minute=0, second=0, microsecond=0)


def seed_associations(now: datetime | None = None) -> int:
    """Returns how many associations and activities it added (0 on a second run)."""
    now = now or clock_now()
    admin = accounts.find_by_email(f"beheer@{DEMO_DOMAIN}")
    if admin is None:
        return 0
    added = 0
    by_name: dict[str, tuple[Association, User]] = {}
    for name, postcode, description, contact, (local, person) in ASSOCIATIONS:
        association = db.session.scalar(select(Association).where(Association.name == name))
        if association is None:
            association = create_association(admin, name=name, postcode=postcode,
                                             description=description, contact=contact)
            added += 1
        board = _user(local, person, "association")
        if not is_member(board, association):
            add_member(admin, association, board)
        by_name[name] = (association, board)
    for (owner, title, category, postcode, venue, days, hour, recurrence, capacity,
         accessible, audience) in ACTIVITIES:
        if db.session.scalar(select(Activity.id).where(Activity.title == title)):
            continue
        association, board = by_name[owner]
        activity = create_activity(board, ActivityInput(
            title=title, category=category, postcode=postcode, venue=venue,
            starts_at=_start(now, days, hour), ends_at=_start(now, days, hour + 2),
            recurrence=recurrence, capacity=capacity, accessible=accessible,
            audience=audience, association_id=association.id,
            description=f"{title}. Aanmelden kan hier; is het vol, dan komt u op de "
                        "wachtlijst."), now=now)
        added += 1
        if title == "Koffieochtend voor ouderen":
            for local, person in PARTICIPANTS:
                resident = _user(local, person, "resident")
                signup(activity, resident, actor=resident, now=now)
    db.session.flush()
    return added
