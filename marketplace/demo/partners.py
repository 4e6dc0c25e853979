"""Demo partner contact: Petra of the debt counselling service, tied to her organisation,
with one plan action of a demo resident (who consented to that partner). Idempotent."""

from __future__ import annotations

from sqlalchemy import select

from marketplace.accounts.services import find_by_email
from marketplace.casework.models import PlanAction, SupportPlan
from marketplace.demo.data import DEMO_DOMAIN
from marketplace.extensions import db

ORGANISATION = "Schuldhulpverlening De Kempen"


def seed_partners() -> int:
    """Returns the number of plan actions added (0 on a second run)."""
    from marketplace.casework.services import add_action
    from marketplace.partners import services

    contact = find_by_email(f"partner@{DEMO_DOMAIN}")
    resident = find_by_email(f"gerrit.inwoner@{DEMO_DOMAIN}")
    worker = find_by_email(f"welzijnswerker@{DEMO_DOMAIN}")
    partner = services.find_partner(ORGANISATION)
    if contact is None or partner is None:
        return 0
    if services.organisation_of(contact) is None:
        services.set_contact(contact, partner)
    if resident is None or worker is None:
        return 0
    exists = db.session.scalar(
        select(PlanAction.id).join(SupportPlan, SupportPlan.id == PlanAction.plan_id)
        .where(SupportPlan.resident_id == resident.id, PlanAction.partner_id == partner.id))
    if exists is not None:
        return 0
    add_action(resident, actor="partner", partner_id=partner.id,
               description="Een eerste gesprek over de schulden plannen, samen met de "
                           "inwoner.")
    services.set_consent(resident, partner, True, worker=worker)
    db.session.flush()
    return 1
