"""A worry reported without an account (beacon 3: care avoiders are found by neighbours, who
often have no account).

The form asks the postcode, what worries the reporter and, if they like, how we may reach
them. It is throttled per client IP in the database (`throttle_hit`, only a digest of the IP
is stored), so the limit holds across workers and machines. The answer never depends on what
exists: every accepted report leads to the same receipt page without a number, and the
reporter hears only that a worker will look at it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select
from wtforms import StringField
from wtforms.validators import Length, Optional

from marketplace.accounts.forms import clean_text
from marketplace.accounts.throttle import ThrottleHit, digest
from marketplace.clock import now as clock_now
from marketplace.extensions import db
from marketplace.signals.forms import SignalForm

ACTION = "signal_public"


class PublicSignalForm(SignalForm):
    contact = StringField(
        _l("Hoe kunnen we u bereiken?"), filters=[clean_text],
        validators=[Optional(),
                    Length(max=200, message=_l("Houd dit korter: hoogstens 200 tekens."))],
        description=_l("Een telefoonnummer of e-mailadres, als u wilt dat een welzijnswerker u "
                       "iets kan vragen. U mag dit leeg laten."))


@dataclass(frozen=True)
class IpLimit:
    per_ip: int
    window: timedelta


def public_limit(config: Any) -> IpLimit:
    """Defaults: 5 reports an hour from one IP address."""
    return IpLimit(per_ip=int(config.get("PUBLIC_SIGNAL_LIMIT_PER_IP", 5)),
                   window=timedelta(seconds=int(config.get("PUBLIC_SIGNAL_WINDOW_SECONDS",
                                                           3600))))


def allow(ip: str, limit: IpLimit, now: datetime | None = None) -> bool:
    """Whether one more report from this IP fits the limit; if so it is counted (the caller
    commits). A refused attempt is not counted, so waiting the window out always works."""
    now = now or clock_now()
    since = now - limit.window
    key = digest("ip", ip)
    count = db.session.scalar(select(func.count()).where(
        ThrottleHit.action == ACTION, ThrottleHit.key == key, ThrottleHit.at >= since))
    if (count or 0) >= limit.per_ip:
        return False
    db.session.execute(delete(ThrottleHit).where(ThrottleHit.action == ACTION,
                                                 ThrottleHit.at < since))
    db.session.add(ThrottleHit(action=ACTION, key=key, at=now))
    db.session.flush()
    return True
