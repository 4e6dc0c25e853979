"""The monthly gaps mail: `jobs run-due --at …` sends each municipality's gaps to its
partners once per month; twice for the same moment, or later that month, sends nothing."""

from __future__ import annotations

import json

from sqlalchemy import select

from marketplace.casework.models import PartnerOrganisation
from marketplace.extensions import db
from marketplace.notifications.models import OutboxMessage
from marketplace.reporting.models import ReportExport
from tests.integration.reporting_world import build


def run_due(runner, at: str) -> int:
    result = runner.invoke(args=["jobs", "run-due", "--at", at])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    return json.loads(result.stdout)["gaps_monthly"]


def mails() -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.dedupe_key.like("gaps:%")).order_by(OutboxMessage.id)))


def test_gaps_mail_once_a_month_to_the_partners(app, runner, make_area):
    build(make_area)
    assert run_due(runner, "2025-07-01T07:00:00+00:00") == 0  # no partner has an address yet
    db.session.add_all([
        PartnerOrganisation(name="Wmo-loket Bladel", contact="Team Wmo, wmo@bladel.example, "
                                                             "0497 123 456"),
        PartnerOrganisation(name="Zonder adres", contact="bel 0497 000 000"),
        PartnerOrganisation(name="Gestopt", contact="oud@example.org", active=False)])
    db.session.commit()

    assert run_due(runner, "2025-07-01T07:05:00+00:00") == 1
    sent = mails()
    assert [m.to_address for m in sent] == ["wmo@bladel.example"]
    body = sent[0].body_text
    assert "Bladel" in sent[0].subject and "2025-07" in sent[0].subject
    assert "verborgen" in body  # 4 requests wait: never shown as a number
    assert "Bij alle soorten hulp zijn de cijfers verborgen: " in body
    assert "Boodschappen" in body and "shopping" not in body  # the kind's name, not its code
    assert "Bewoner" not in body  # no names
    assert run_due(runner, "2025-07-01T07:05:00+00:00") == 0
    assert run_due(runner, "2025-07-20T07:00:00+00:00") == 0
    assert len(mails()) == 1
    assert run_due(runner, "2025-08-01T07:00:00+00:00") == 1
    assert len(mails()) == 2
    exports = db.session.scalars(select(ReportExport).where(ReportExport.kind == "gaps.mail"))
    assert [e.k for e in exports] == [5, 5]


def test_the_gaps_mail_names_areas_and_kinds_of_help(app, runner, make_area):
    """A row with figures under the area's name and the kind's name (not their codes); the
    kinds with every figure hidden in one sentence, not as lines of "verborgen"."""
    from datetime import UTC, datetime

    from tests.integration.reporting_world import _request

    make_area("W", "municipality", pc4=(), name="Westdorp")
    north = make_area("W-N", "district", parent="W", pc4=("5527",), name="Westdorp-Noord")
    south = make_area("W-Z", "district", parent="W", pc4=("5528",), name="Westdorp-Zuid")
    for n in range(4):
        _request(north, "5527", n, status="open", at=datetime(2025, 3, 3 + n, tzinfo=UTC))
    for n in range(3):
        _request(south, "5528", 50 + n, status="open", at=datetime(2025, 3, 3 + n, tzinfo=UTC))
    db.session.add(PartnerOrganisation(name="Voedselbank", contact="info@voedsel.example"))
    db.session.commit()

    assert run_due(runner, "2025-07-01T07:05:00+00:00") == 1
    body, = [m.body_text for m in mails()]
    lines = [line for line in body.splitlines() if line.startswith("- ")]
    assert lines == ["- Westdorp, Boodschappen: 7 / 7 / " + lines[0].rsplit(" / ", 1)[1]]
    sentence, = [line for line in body.splitlines() if "cijfers verborgen" in line]
    assert sentence.startswith("Bij de andere soorten hulp zijn de cijfers verborgen: ")
    assert "Maaltijden" in sentence and "Boodschappen" not in sentence
    assert "shopping" not in body and "meals" not in body
