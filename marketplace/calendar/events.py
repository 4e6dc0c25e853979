"""A person's commitments as calendar values (``ical.Event``, ``ical.WeeklySlot``).

What goes in, for one person (whatever roles they hold):

- support they give as a volunteer (active arrangements): weekly on the request's day
  parts until the planned end, or one all-day span when any time suits; and the check-ins
  of that support on their due day;
- occurrences of activities where they help (an accepted vacancy proposal);
- occurrences of activities they signed up for (registered, not on the waiting list).

Privacy: an arrangement says what and where by PC4 only ("Boodschappen — hulp in 5527"),
never a name or house number; only an activity's venue is a LOCATION. A fixed number of
queries, whatever the number of commitments.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from marketplace.accounts.models import User
from marketplace.associations.models import Activity, Occurrence, Signup
from marketplace.associations.vacancy_models import Vacancy, VacancyMatch
from marketplace.brokering.models import Arrangement
from marketplace.calendar.ical import Event, WeeklySlot
from marketplace.categories.services import label
from marketplace.clock import DOMAIN_TZ, today
from marketplace.extensions import db
from marketplace.followup.models import CheckIn
from marketplace.help_requests.models import HelpRequest

PAST_DAYS = 30  # occurrences this far back stay in the feed (what was), then drop off
AHEAD_DAYS = 400
MAX_OCCURRENCES = 1000
DOMAIN = "buurtmakelaar"


def _uid(kind: str, *parts: object) -> str:
    return "-".join([kind, *(str(p) for p in parts)]) + f"@{DOMAIN}"


def _venue(activity: Activity) -> str:
    return ", ".join(part for part in (activity.venue, activity.pc4, activity.place) if part)


def _rows(statement) -> list:
    return list(db.session.execute(statement).all())


def _support(user: User, day: date) -> tuple[list[Event], list[WeeklySlot]]:
    rows = _rows(select(Arrangement, HelpRequest.category, HelpRequest.pc4,
                          HelpRequest.day_parts)
                   .join(HelpRequest, HelpRequest.id == Arrangement.request_id)
                   .where(Arrangement.volunteer_id == user.id,
                          Arrangement.status.in_(("active", "ending")))
                   .order_by(Arrangement.id))
    events: list[Event] = []
    slots: list[WeeklySlot] = []
    for arrangement, category, pc4, day_parts in rows:
        summary = _("%(what)s — hulp in %(pc4)s", what=label(category), pc4=pc4)
        until = max(arrangement.planned_end_on, day)
        if day_parts:
            for part in sorted(day_parts):
                slots.append(WeeklySlot(
                    _uid("arrangement", arrangement.id, part), summary, part,
                    arrangement.started_on, until,
                    _("U helpt hier als vrijwilliger. De afspraak loopt tot %(date)s.",
                      date=arrangement.planned_end_on.isoformat())))
        else:
            events.append(Event(
                _uid("arrangement", arrangement.id), summary, arrangement.started_on,
                until + timedelta(days=1),
                _("U helpt hier als vrijwilliger; de tijd spreekt u samen af.")))
    ids = [row[0].id for row in rows]
    categories = {row[0].id: row[1] for row in rows}
    if ids:
        for checkin in db.session.scalars(select(CheckIn).where(
                CheckIn.arrangement_id.in_(ids), CheckIn.closed_at.is_(None))
                .order_by(CheckIn.due_on, CheckIn.id)):
            events.append(Event(
                _uid("checkin", checkin.id),
                _("Even checken: hoe gaat de hulp? (%(what)s)",
                  what=label(categories[checkin.arrangement_id])),
                checkin.due_on, None,
                _("U krijgt deze dag een mail met de vraag hoe het gaat.")))
    return events, slots


def _occurrences(activity_ids: set[int], day: date) -> list[Occurrence]:
    if not activity_ids:
        return []
    start = datetime.combine(day - timedelta(days=PAST_DAYS), datetime.min.time())
    end = datetime.combine(day + timedelta(days=AHEAD_DAYS), datetime.min.time())
    start, end = start.replace(tzinfo=DOMAIN_TZ), end.replace(tzinfo=DOMAIN_TZ)
    return list(db.session.scalars(
        select(Occurrence).where(Occurrence.activity_id.in_(sorted(activity_ids)),
                                 Occurrence.starts_at >= start, Occurrence.starts_at < end)
        .order_by(Occurrence.starts_at, Occurrence.id).limit(MAX_OCCURRENCES)))


def _activity_events(user: User, day: date) -> list[Event]:
    helping = set(db.session.scalars(
        select(Vacancy.activity_id).join(VacancyMatch, VacancyMatch.vacancy_id == Vacancy.id)
        .where(VacancyMatch.volunteer_id == user.id, VacancyMatch.status == "accepted",
               Vacancy.status != "closed")))
    signed_up = set(db.session.scalars(select(Signup.activity_id).where(
        Signup.user_id == user.id, Signup.status == "registered")))
    activities = {a.id: a for a in db.session.scalars(
        select(Activity).where(Activity.id.in_(sorted(helping | signed_up)),
                               Activity.status != "ended"))} if helping | signed_up else {}
    events = []
    for occurrence in _occurrences(set(activities), day):
        activity = activities[occurrence.activity_id]
        cancelled = occurrence.status == "cancelled" or activity.status == "cancelled"
        for kind, ids in (("helper", helping), ("signup", signed_up)):
            if occurrence.activity_id not in ids:
                continue
            summary = (_("Vrijwilliger bij: %(title)s", title=activity.title)
                       if kind == "helper" else activity.title)
            events.append(Event(
                _uid("occurrence", occurrence.id, kind), summary, occurrence.starts_at,
                occurrence.ends_at, activity.description, _venue(activity), cancelled))
    return events


def feed_events(user: User, *, now: datetime | None = None) -> tuple[list[Event],
                                                                      list[WeeklySlot]]:
    """Every event of the person's feed, in their language."""
    day = today(now)
    with force_locale(user.locale or "nl"):
        events, slots = _support(user, day) if user.has_role("volunteer") else ([], [])
        events += _activity_events(user, day)
    return events, slots
