"""A small world for vacancy and calendar-feed tests: an association in Bladel with a weekly
activity, its board member, the area's worker, volunteers near and far, and a resident."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from marketplace.clock import now as clock_now
from marketplace.extensions import db


@dataclass
class VacancyWorld:
    area: Any
    other_area: Any
    worker: Any
    other_worker: Any
    board: Any
    outsider: Any
    resident: Any
    near: Any  # volunteer in 5531 (Bladel), cooks, VOG
    second: Any  # volunteer in 5531, cooks, no VOG
    far: Any  # volunteer far away (Eindhoven), cooks
    association: Any
    activity: Any


def volunteer(make_user, name: str, postcode: str, skills: list[str], *, has_vog: bool,
              availability: tuple[str, ...] = (), max_commitments: int = 2) -> Any:
    from marketplace.volunteers.services import ProfileInput, save_profile

    user = make_user("volunteer", name=name)
    save_profile(user, ProfileInput(skills=skills, postcode=postcode, radius_km=10,
                                    availability=list(availability), has_vog=has_vog,
                                    max_commitments=max_commitments))
    db.session.commit()
    return user


def build(make_area, make_user) -> VacancyWorld:
    from marketplace.associations.services import (
        ActivityInput,
        add_member,
        create_activity,
        create_association,
    )

    area = make_area("GM1728", "municipality", name="Bladel", pc4=("5531", "5527", "5541"))
    other_area = make_area("GM0772", "municipality", name="Eindhoven", pc4=("5611",))
    worker = make_user("worker", areas=(area,), name="Werker Wim")
    other_worker = make_user("worker", areas=(other_area,))
    board = make_user("association", name="Bestuurder Bea")
    outsider = make_user("association", name="Ander Bestuur")
    resident = make_user("resident", name="Inwoner Ida")
    near = volunteer(make_user, "Vrijwilliger Vera", "5531", ["meals", "companionship"],
                     has_vog=True, availability=("tue_morning", "wed_evening"))
    second = volunteer(make_user, "Vrijwilliger Sam", "5531", ["meals"], has_vog=False)
    far = volunteer(make_user, "Vrijwilliger Verre", "5611", ["meals"], has_vog=True)
    association = create_association(worker, name="Buurtvereniging De Linde",
                                     postcode="5531 AB")
    add_member(worker, association, board)
    start = (clock_now() + timedelta(days=3)).replace(hour=9, minute=0, second=0,
                                                      microsecond=0)
    activity = create_activity(board, ActivityInput(
        title="Buurtmaaltijd", category="meals", postcode="5531", venue="Dorpshuis De Kei",
        starts_at=start, ends_at=start + timedelta(hours=2), recurrence="weekly",
        capacity=10, accessible=True, description="Samen eten",
        association_id=association.id))
    db.session.commit()
    return VacancyWorld(area, other_area, worker, other_worker, board, outsider, resident,
                        near, second, far, association, activity)
