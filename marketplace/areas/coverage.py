"""Which postcodes this service covers: no request may reach nobody.

A request from a PC4 that no work area holds would reach no worker and no volunteer list
(issue 13 §4). `refusal(pc4)` says why it cannot be posted here and where else to go; None
when an area covers it. An installation without any area yet (a fresh database, before
`areas create`) refuses nothing: there is nothing to compare with, and the admin pages say
that areas must be set up first.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from marketplace.areas.models import Area, AreaPostcode
from marketplace.extensions import db


def covered(pc4: str) -> bool:
    """Whether some area holds this PC4, or no area holds any PC4 yet."""
    if db.session.get(AreaPostcode, pc4) is not None:
        return True
    return db.session.scalar(select(AreaPostcode.pc4).limit(1)) is None


def municipality_names() -> list[str]:
    """The municipalities this service works in, by name."""
    stmt = select(Area.name).where(Area.kind == "municipality").order_by(Area.name)
    return list(dict.fromkeys(db.session.scalars(stmt)))


def in_words(names: list[str]) -> str:
    """"A", "A en B", "A, B en C"."""
    if len(names) <= 1:
        return "".join(names)
    return _("%(first)s en %(last)s", first=", ".join(names[:-1]), last=names[-1])


def refusal(pc4: str) -> str | None:
    """None when a work area covers `pc4`; else a message for the postcode field."""
    if covered(pc4):
        return None
    names = municipality_names()
    where = _("Buurtmakelaar werkt in %(places)s.", places=in_words(names)) if names else ""
    return " ".join(filter(None, (
        _("Deze postcode valt buiten ons werkgebied."), where,
        _("Woont u ergens anders? Vraag dan hulp bij de gemeente of het wijkteam in uw eigen "
          "woonplaats."))))
