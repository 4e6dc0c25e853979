"""What leaves the system: the CSV (formula-safe), and a record of every export.

Formula safety: a spreadsheet runs a cell that starts with ``=``, ``+``, ``-``, ``@``, tab or
carriage return as a formula. Such a cell gets an apostrophe in front (``'-0.5``), the
OWASP advice; spreadsheets show the apostrophe-text as the number without running anything.
Only ``life_domain_change`` can be negative today.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from marketplace.clock import now as clock_now
from marketplace.extensions import db
from marketplace.reporting.disclosure import Rules, fingerprint
from marketplace.reporting.indicators import IndicatorReport
from marketplace.reporting.models import ReportExport
from marketplace.reporting.periods import Period

DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")
CSV_HEADER = ("indicator", "value", "n", "suppressed")


def safe_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        text = "true" if value else "false"
    else:
        text = str(value)
    return "'" + text if text.startswith(DANGEROUS_START) else text


def csv_text(rows: Iterable[Iterable[Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    return out.getvalue()


def indicators_csv(report: IndicatorReport) -> str:
    rows: list[tuple[Any, ...]] = [CSV_HEADER]
    for code, cell in report.indicators.items():
        rows.append((code, cell.value, cell.n, cell.suppressed))
    return csv_text(rows)


def record_export(kind: str, area_id: int | None, period: Period, user_id: int | None,
                  payload: str | bytes, rules: Rules, *,
                  now: datetime | None = None) -> ReportExport:
    """One row per export: the rule set, k, method, version and the payload's hash."""
    facts = fingerprint(payload, rules)
    row = ReportExport(kind=kind, area_id=area_id, period_from=period.start,
                       period_to=period.end, user_id=user_id, rules=facts["rules"][:200],
                       k=facts["k"], method=str(facts["method"])[:200],
                       version=str(facts["version"])[:20], sha256=facts["sha256"],
                       created_at=now or clock_now())
    db.session.add(row)
    db.session.flush()
    return row
