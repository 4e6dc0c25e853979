"""Reading "which area, which period" from a query string, the same for pages and API."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _

from marketplace.accounts.models import User
from marketplace.areas.models import Area
from marketplace.areas.services import get_by_code
from marketplace.cleaning import typed_date
from marketplace.clock import today as clock_today
from marketplace.errors import NotFound, ValidationFailed
from marketplace.reporting.access import may_report, may_see, top_areas
from marketplace.reporting.periods import Period, published_around, this_year

FIRST_YEAR, LAST_YEAR = 2000, 2100


@dataclass(frozen=True)
class Query:
    area: Area
    period: Period  # the period counted: a calendar year or quarter
    # The period asked for, when it was not one: then `period` is the smallest published
    # period that contains it (widened). None when it was asked as it is counted.
    asked: Period | None = None

    def asked_json(self) -> dict[str, dict[str, str]]:
        """{"asked": {"from", "to"}} for an answer whose period was widened, else {}."""
        if self.asked is None:
            return {}
        return {"asked": {"from": self.asked.start.isoformat(),
                          "to": self.asked.end.isoformat()}}


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


def _day(value: date) -> str:
    return format_date(value, "d MMMM yyyy")


def widened_notice(counted: Period, asked: Period | None) -> str | None:
    """The short notice beside figures of a widened period (None when not widened)."""
    if asked is None:
        return None
    return _("Cijfers gaan per kwartaal of per jaar. U ziet %(start)s tot en met %(end)s; "
             "u vroeg %(asked_start)s tot en met %(asked_end)s.",
             start=_day(counted.start), end=_day(counted.end),
             asked_start=_day(asked.start), asked_end=_day(asked.end))


def parse(user: User, args: Mapping[str, str], *, today: date | None = None,
          typed: bool = False) -> Query:
    """The area (visible to `user`) and the period; defaults: the user's highest area and
    this calendar year. NotFound for a user who may not see reports or this area, and for
    an area that does not exist (the same answer). A period that is not a calendar year or
    quarter is widened to the smallest one that contains it (`Query.asked` keeps what was
    asked); one across two calendar years is a field error on `to`.

    Dates are ISO (2026-01-31), as the API takes them; `typed` (a page's form) also takes
    them as a person writes them (31-1-2026, 31/1/2026)."""
    if not may_report(user):
        raise NotFound(_("Deze pagina bestaat niet."))
    errors: dict[str, list[str]] = {}
    code = (args.get("area") or "").strip()
    area: Area | None = None
    if code:
        area = get_by_code(code) if len(code) <= 40 and "\x00" not in code else None
        # A missing area answers exactly as one the user may not see: 404, the same body,
        # so the answer never tells which area codes exist.
        if area is None or not may_see(user, area):
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
    counted: Period | None = None
    if start and end and start > end:
        errors["to"] = [_("De einddatum ligt vóór de begindatum.")]
    elif start and end:
        # Only years and quarters are published (two overlapping free periods could be
        # subtracted to reveal a hidden count): another period is widened to the smallest
        # one that contains it.
        counted = published_around(Period(start, end))
        if counted is None:
            errors["to"] = [_("Cijfers gaan per kwartaal of per jaar. Kies een periode "
                              "binnen één kalenderjaar, bijvoorbeeld 1 januari tot en met "
                              "31 december.")]
    if errors:
        raise ValidationFailed(errors)
    assert area is not None and start is not None and end is not None and counted is not None
    asked = Period(start, end)
    return Query(area, counted, None if asked == counted else asked)
