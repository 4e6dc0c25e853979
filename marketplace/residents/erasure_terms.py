"""The terms the erasure table (``erasure_rules``) is written in: what happens to a column
(``ERASE``, ``ANONYMISE``, ``KEEP``), the values written in place of a person's data, the
rule types (``Col``, ``Expire``, ``Rule``) with their helpers, and the verdicts many columns
share (``ID``, ``DATE``, ``CODE``, ...). All of it stays importable from ``erasure_rules``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

ERASE = "erase"  # gone: the value is emptied (NULL, "" or the marker), or the row is deleted
ANONYMISE = "anonymise"  # replaced by a value that points at no one
KEEP = "keep"  # stays: needed for the reports or by law, and identifies no one on its own

REDACTED = "[geanonimiseerd]"
ERASED_NAME = "[gewist]"
DELETED = "row deleted"


def erased_email(user_id: int) -> str:
    """Unique (the column is unique) and not an address: nobody can log in or get mail."""
    return f"erased-{user_id}@invalid"


class _Now:
    def __repr__(self) -> str:
        return "the moment of erasure"


NOW = _Now()  # a value: the moment of erasure (or of the retention run)


@dataclass(frozen=True)
class Col:
    action: str
    why: str
    # The value written: a constant, NOW, or a function of the person's id.
    to: Any = None
    # Rows where this column is changed, when not the table's rows (same path syntax).
    rows: tuple[str, ...] | None = None

    def value(self, user_id: int, now: Any) -> Any:
        if self.to is NOW:
            return now
        return self.to(user_id) if callable(self.to) else self.to

    @property
    def changes(self) -> bool:
        return self.action != KEEP


@dataclass(frozen=True)
class Expire:
    """Retention: rows older than this get the same treatment as on erasure (deleted, or
    their non-kept columns emptied), swept daily by ``retention.expire_rows``."""

    after: str | tuple[str, ...]  # the column whose age counts (several: the first not NULL)
    days: int | str  # a number of days, or the name of a setting (RETENTION_DAYS)
    why: str
    where: str | None = None  # only rows in this state (SQL on this table)


@dataclass(frozen=True)
class Rule:
    table: str
    about: str
    rows: tuple[str, ...] = ()
    columns: Mapping[str, Col] = field(default_factory=dict)
    # The person's rows are deleted (columns need not be listed: nothing stays).
    delete: bool = False
    mentions: tuple[str, ...] = ()
    expire: Expire | None = None


def keep(why: str) -> Col:
    return Col(KEEP, why)


def erase(why: str, to: Any = None) -> Col:
    return Col(ERASE, why, to)


def anonymise(why: str, to: Any | Callable[[int], Any] = None,
              rows: tuple[str, ...] | None = None) -> Col:
    return Col(ANONYMISE, why, to, rows)


# Verdicts many columns share.
ID = keep("a number, no meaning outside this database")
ERASED_ACCOUNT = keep("points at the erased account, which holds no name, e-mail or password")
WORKER = keep("a worker or other staff member, not the erased person")
DATE = keep("dates and times: the reports count durations and periods")
CODE = keep("a code from a fixed list, counted in the reports")
STORY = "free text: it tells the person's story or names them"
AREA = keep("the area (PC4, at least a few thousand people): reports per area")
