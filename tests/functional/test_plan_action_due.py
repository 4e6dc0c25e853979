"""By when an action in the support plan should be done: the worker sets the date, the plan,
the resident's own plan, the partner's list and the export show it; not done by then, it is
on the worker's "Vandaag opvolgen" until it is ticked off."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from bs4 import BeautifulSoup
from sqlalchemy import select

from marketplace.casework import services as casework
from marketplace.casework.models import PlanAction
from marketplace.casework.services import set_resident_pc4
from marketplace.extensions import db
from marketplace.help_requests.services import RequestInput, create_request
from marketplace.residents.export import export_for
from tests.functional.test_associations_web import sign_in

START = datetime(2027, 1, 4, 9, 0, tzinfo=UTC)  # a Monday
ACTION = "De buurman haalt op vrijdag de boodschappen"


def text(response) -> str:
    """The page's words, whitespace folded (a date may break over lines in the HTML)."""
    return " ".join(BeautifulSoup(response.get_data(as_text=True), "html.parser")
                    .get_text(" ").split())


@pytest.fixture()
def world(app, make_area, make_user):
    with time_machine.travel(START, tick=False):
        bladel = make_area("GM1728", "municipality", pc4=("5527",))
        eersel = make_area("GM0770", "municipality", pc4=("5521",))
        worker = make_user("worker", areas=(bladel,))
        elsewhere = make_user("worker", areas=(eersel,))
        resident = make_user("resident", name="Riet Plan")
        set_resident_pc4(resident, "5527")
        request = create_request(resident, RequestInput(
            category="shopping", description="Boodschappen graag", postcode="5527",
            house_number="1"))
        db.session.commit()
    return {"worker": worker, "elsewhere": elsewhere, "resident": resident, "request": request}


def add(client, resident, **fields):
    data = {"actie-actor": "network", "actie-description": ACTION, **fields}
    return client.post(f"/dossier/{resident.id}/plan/actie", data=data)


def test_the_date_is_kept_shown_and_chased_until_done(app, world):
    worker, resident = world["worker"], world["resident"]
    with time_machine.travel(START, tick=False):
        client = sign_in(app, worker)
        # A date in the past or not a date: the form says so and keeps what was typed.
        for typed, message in (("03-01-2027", "Kies vandaag of een latere datum."),
                               ("31-02-2027", "datum")):
            bad = add(client, resident, **{"actie-due_on": typed})
            assert bad.status_code == 200 and message in text(bad), typed
            assert ACTION in bad.get_data(as_text=True) and typed in bad.get_data(as_text=True)
        assert db.session.scalar(select(PlanAction)) is None
        assert add(client, resident, **{"actie-due_on": "08-01-2027"}).status_code == 302
        action = db.session.scalars(select(PlanAction)).one()
        assert action.due_on == date(2027, 1, 8)
        assert "Klaar vóór 8 januari 2027." in text(client.get(f"/dossier/{resident.id}/plan"))
        assert ACTION not in text(client.get("/werk/"))
        own = text(sign_in(app, resident).get(f"/hulpvragen/{world['request'].id}"))
        assert "klaar vóór 8 januari 2027" in own
        exported = export_for(resident, START)["file"]["plan"]["actions"]
        assert exported == [{"actor": "network", "description": ACTION, "done": False,
                             "due_on": "2027-01-08"}]

    with time_machine.travel(START + timedelta(days=4), tick=False):  # the day itself
        day = text(sign_in(app, worker).get("/werk/"))
        assert "Actie uit het plan, vandaag klaar" in day and ACTION in day

    with time_machine.travel(START + timedelta(days=6), tick=False):
        client = sign_in(app, worker)
        late = text(client.get("/werk/"))
        assert "Actie uit het plan, te laat sinds 8 januari 2027" in late
        assert "Te laat: moest klaar zijn op 8 januari 2027." in text(
            client.get(f"/dossier/{resident.id}/plan"))
        # Not for a worker of another area.
        assert ACTION not in text(sign_in(app, world["elsewhere"]).get("/werk/"))
        done = client.post(f"/dossier/{resident.id}/plan/actie/{action.id}", data={"done": "y"})
        assert done.status_code == 302
        assert ACTION not in text(client.get("/werk/"))
        plan = text(client.get(f"/dossier/{resident.id}/plan"))
        assert "Te laat" not in plan and "Klaar vóór 8 januari 2027." in plan


def test_without_a_date_nothing_is_chased(app, world):
    worker, resident = world["worker"], world["resident"]
    with time_machine.travel(START, tick=False):
        casework.add_action(resident, actor="resident", description="Belt zijn dochter")
        db.session.commit()
    with time_machine.travel(START + timedelta(days=60), tick=False):
        assert "Actie uit het plan" not in text(sign_in(app, worker).get("/werk/"))
