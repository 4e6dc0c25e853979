"""Demo vacancies (idempotent): the Dorpsraad Hapert looks for two volunteers to pour coffee
at its coffee morning; the demo volunteer (vrijwilliger@, Joost Smits, companionship, 5531)
has been asked and can say yes or no; the Zonnebloem's cooking evening asks for one cook."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from marketplace.accounts import services as accounts
from marketplace.associations import vacancy_services as vacancies
from marketplace.associations.access import can_manage
from marketplace.associations.models import Activity, AssociationMember
from marketplace.associations.vacancy_models import Vacancy
from marketplace.demo.data import DEMO_DOMAIN
from marketplace.extensions import db
from marketplace.volunteers.models import VolunteerProfile

# activity title, skill, count, day parts, who is asked (local part) or None
VACANCIES = (
    ("Koffieochtend voor ouderen", "companionship", 2, ["tue_morning", "thu_morning"],
     "vrijwilliger"),
    ("Samen koken en eten", "meals", 1, [], None),
)


def seed_vacancies(now: datetime | None = None) -> int:
    """Returns how many vacancies it added (0 on a second run)."""
    added = 0
    for title, skill, count, day_parts, asked in VACANCIES:
        activity = db.session.scalar(select(Activity).where(Activity.title == title))
        if activity is None or db.session.scalar(
                select(Vacancy.id).where(Vacancy.activity_id == activity.id)):
            continue
        member = db.session.scalar(
            select(AssociationMember).where(
                AssociationMember.association_id == activity.association_id)
            .order_by(AssociationMember.id).limit(1)) if activity.association_id else None
        board = member.user if member is not None else None
        if board is None or not can_manage(board, activity):
            continue
        vacancy = vacancies.create_vacancy(board, activity, vacancies.VacancyInput(
            skill=skill, count=count, day_parts=day_parts), now=now)
        added += 1
        volunteer = accounts.find_by_email(f"{asked}@{DEMO_DOMAIN}") if asked else None
        if volunteer is not None and db.session.get(VolunteerProfile, volunteer.id):
            vacancies.propose(board, vacancy, volunteer, now=now)
    db.session.flush()
    return added
