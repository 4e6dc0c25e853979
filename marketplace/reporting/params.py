"""Reading "which area, which period" from a query string, the same for pages and API."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _

from marketplace.accounts.models import User
from marketplace.areas.models import Area
from marketplace.areas.services import get_by_code
from marketplace.cleaning import typed_date
from marketplace.clock import today as clock_today
from marketplace.errors import NotFound, ValidationFailed
from marketplace.reporting.access import may_report, may_see, top_areas
from marketplace.reporting.periods import Period, is_published, this_year

FIRST_YEAR, LAST_YEAR = 2000, 2100


@dataclass(frozen=True)
class Query:
    area: Area
    period: Period


def _date(raw: str | None, field: str, errors: dict[str, list[str]], *,
          typed: bool) -> date | None:
    if raw is None or raw.strip() == "":
        return None
    if typed:
        value = typed_date(raw)
        if value is None:
            errors[field] = [_("Vul een datum in zoals 25-12-2026.")]
            return None
    else:
        try:
            value = date.fromisoformat(raw.strip())
        except ValueError:
            errors[field] = [_("Vul een datum in als 2026-01-31.")]
            return None
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        errors[field] = [_("Kies een datum tussen %(first)s en %(last)s.", first=FIRST_YEAR,
                           last=LAST_YEAR)]
        return None
    return value


def parse(user: User, args: Mapping[str, str], *, today: date | None = None,
          typed: bool = False) -> Query:
    """The area (visible to `user`) and the period; defaults: the user's highest area and
    this calendar year. NotFound for a user who may not see reports or this area.

    Dates are ISO (2026-01-31), as the API takes them; `typed` (a page's form) also takes
    them as a person writes them (31-1-2026, 31/1/2026)."""
    if not may_report(user):
        raise NotFound(_("Deze pagina bestaat niet."))
    errors: dict[str, list[str]] = {}
    code = (args.get("area") or "").strip()
    area: Area | None = None
    if code:
        area = get_by_code(code) if len(code) <= 40 and "\x00" not in code else None
        if area is None:
            errors["area"] = [_("Dit gebied bestaat niet.")]
        elif not may_see(user, area):
            raise NotFound(_("Dit gebied bestaat niet."))
    else:
        tops = top_areas(user)
        if tops:
            area = tops[0]
        else:
            errors["area"] = [_("Kies een gebied.")]
    start = _date(args.get("from"), "from", errors, typed=typed)
    end = _date(args.get("to"), "to", errors, typed=typed)
    year = this_year(today or clock_today())
    if start is None and "from" not in errors:
        start = date(end.year, 1, 1) if end else year.start
    if end is None and "to" not in errors:
        end = date(start.year, 12, 31) if start else year.end
    if start and end and start > end:
        errors["to"] = [_("De einddatum ligt vóór de begindatum.")]
    elif start and end and not is_published(Period(start, end)):
        # Two overlapping free periods could be subtracted to reveal a hidden count.
        errors["to"] = [_("Kies een heel jaar of een kwartaal, bijvoorbeeld 1 januari tot en "
                          "met 31 maart.")]
    if errors:
        raise ValidationFailed(errors)
    assert area is not None and start is not None and end is not None
    return Query(area, Period(start, end))
