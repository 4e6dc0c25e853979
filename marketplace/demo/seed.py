"""`flask demo seed`: idempotent demo data; running it again changes nothing."""

from __future__ import annotations

from marketplace.accounts import services as accounts
from marketplace.areas import settings as area_settings
from marketplace.areas.services import get_by_code, save_area
from marketplace.categories.services import ensure_taxonomy
from marketplace.demo.data import (
    ACCOUNTS,
    AREA_SETTINGS,
    AREAS,
    DEMO_DOMAIN,
    DEMO_PASSWORD,
    REGION,
)
from marketplace.extensions import db


def demo_accounts() -> list[dict[str, str]]:
    """For the login page in development and the README."""
    return [
        {"email": f"{local}@{DEMO_DOMAIN}", "password": DEMO_PASSWORD, "name": name,
         "roles": ", ".join(roles)}
        for local, name, roles, _areas in ACCOUNTS
    ]


def seed() -> dict[str, int]:
    summary = {"categories_added": ensure_taxonomy(), "areas_added": 0, "users_added": 0}
    if get_by_code(REGION[0]) is None:
        save_area(REGION[0], REGION[1], "region")
        summary["areas_added"] += 1
    for code, name, kind, parent, pc4 in AREAS:
        if get_by_code(code) is None:
            save_area(code, name, kind, parent_code=parent, pc4=pc4)
            summary["areas_added"] += 1
    for code, values in AREA_SETTINGS.items():
        area = get_by_code(code)
        for key, value in values.items():
            if area is not None and key not in area_settings.own_values(area):
                area_settings.set_value(area, key, value)
    for local, name, roles, area_codes in ACCOUNTS:
        email = f"{local}@{DEMO_DOMAIN}"
        if accounts.find_by_email(email) is None:
            areas = [a for a in (get_by_code(c) for c in area_codes) if a is not None]
            accounts.create_user(email, name, password=DEMO_PASSWORD, roles=roles, areas=areas,
                                 confirmed=True)
            summary["users_added"] += 1
    db.session.flush()
    from marketplace.demo.activity import seed_activity

    summary["requests_added"] = seed_activity()
    from marketplace.demo.associations import seed_associations  # associations, activities

    seed_associations()
    from marketplace.demo.collective import seed_collective  # a cluster and a handover

    seed_collective()
    from marketplace.demo.vacancies import seed_vacancies  # vacancies, one proposal

    seed_vacancies()
    from marketplace.demo.partners import seed_partners  # a partner contact on a plan

    seed_partners()
    from marketplace.demo.history import seed_history  # fifteen months of Bladel, closed

    summary["requests_added"] += seed_history()
    return summary
