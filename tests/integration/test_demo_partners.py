"""The demo's partner contact is tied to her organisation and sees one plan action."""

from __future__ import annotations

from marketplace.accounts.services import find_by_email
from marketplace.demo.data import DEMO_DOMAIN
from marketplace.demo.partners import ORGANISATION, seed_partners
from marketplace.demo.seed import seed
from marketplace.extensions import db
from marketplace.partners import services


def test_demo_partner_sees_the_consented_action_and_a_rerun_adds_nothing(app):
    seed()
    db.session.commit()
    contact = find_by_email(f"partner@{DEMO_DOMAIN}")
    assert contact.roles == ["partner"]
    assert services.organisation_of(contact).name == ORGANISATION
    actions = services.actions_for(contact).items
    assert len(actions) == 1 and "schulden" in actions[0].action.description
    assert seed_partners() == 0
