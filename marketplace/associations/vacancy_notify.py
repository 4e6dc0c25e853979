"""Mail about vacancies. Never an address of a person: the activity, its venue, the task."""

from __future__ import annotations

from datetime import datetime

from marketplace.accounts.models import User
from marketplace.associations.models import Occurrence
from marketplace.associations.notify import local_when, reminder_key
from marketplace.associations.vacancy_models import VacancyMatch
from marketplace.brokering.notify import public_url
from marketplace.categories.services import label
from marketplace.extensions import db
from marketplace.notifications.outbox import enqueue


def _send(user: User | None, template: str, key: str, now: datetime | None,
          **context) -> bool:
    if user is None or not user.email or not user.is_active:
        return False
    return enqueue(user.email, template, dedupe_key=key, locale=user.locale, now=now,
                   user=user, **context) is not None


def proposed(match: VacancyMatch, now: datetime | None = None) -> None:
    """The volunteer is asked; the link leads to the page where they say yes or no."""
    activity = match.vacancy.activity
    _send(match.volunteer, "vacancy_proposed", f"vacancy_match:{match.id}:proposed", now,
          title=activity.title, place=activity.place, task=label(match.vacancy.skill),
          url=public_url("vacancies.answer", match_id=match.id))


def answered(match: VacancyMatch, now: datetime | None = None) -> None:
    """Whoever proposed hears yes or no (a member of the association, or a worker)."""
    proposer = db.session.get(User, match.proposed_by_id) if match.proposed_by_id else None
    activity = match.vacancy.activity
    _send(proposer, "vacancy_answered", f"vacancy_match:{match.id}:{match.status}", now,
          title=activity.title, accepted=match.status == "accepted",
          url=public_url("vacancies.detail", vacancy_id=match.vacancy_id))


def rota_reminder(occurrence: Occurrence, user: User, now: datetime | None = None) -> bool:
    """The day before: a volunteer on the rota; once per person per occurrence, ever."""
    activity = occurrence.activity
    return _send(user, "vacancy_reminder", reminder_key(occurrence, "rota", user), now,
                 title=activity.title, venue=activity.venue or "", place=activity.place,
                 when=local_when(occurrence.starts_at),
                 url=public_url("vacancies.mine"))
