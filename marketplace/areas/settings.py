"""Settings per area, inherited downwards: a village core can differ from its municipality."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select

from marketplace.areas.models import Area, AreaSetting
from marketplace.errors import N_, DomainError
from marketplace.extensions import db


@dataclass(frozen=True)
class SettingSpec:
    key: str
    default: str
    choices: tuple[str, ...] = ()
    minimum: int | None = None
    maximum: int | None = None

    def validate(self, value: str) -> str:
        """The value as stored ("07" → "7"), or a DomainError in plain Dutch."""
        value = value.strip()
        if self.choices and value not in self.choices:
            raise DomainError(
                N_("Kies een van deze waarden: %(choices)s.",
                   choices=', '.join(self.choices)), field=self.key
            )
        if self.minimum is not None:
            high = self.maximum if self.maximum is not None else 10**6
            # ASCII only: isdigit() also accepts digits like "٣" and "５".
            if not re.fullmatch(r"[0-9]{1,7}", value) or not self.minimum <= int(value) <= high:
                raise DomainError(
                    N_("Vul een heel getal in van %(low)s tot en met %(high)s.",
                       low=self.minimum, high=high),
                    field=self.key,
                )
            value = str(int(value))
        return value


SETTINGS: dict[str, SettingSpec] = {
    spec.key: spec
    for spec in (
        # brokered: an offer of help goes to the area's worker; peer_to_peer: to the resident.
        SettingSpec("brokering_mode", "brokered", choices=("brokered", "peer_to_peer")),
        SettingSpec("signal_respond_days", "5", minimum=1, maximum=30),
        SettingSpec("request_stale_days", "7", minimum=1, maximum=90),
        SettingSpec("request_expiry_days", "60", minimum=7, maximum=365),
        # Collective solutions (docs/collective.md): at least cluster_min open requests of one
        # category within cluster_radius_km of a centre request, created in cluster_days.
        SettingSpec("cluster_min", "5", minimum=2, maximum=100),
        SettingSpec("cluster_radius_km", "2", minimum=1, maximum=25),
        SettingSpec("cluster_days", "30", minimum=1, maximum=365),
    )
}


def effective(area: Area | None, key: str) -> str:
    """The value set on the nearest area up the tree, else the default."""
    spec = SETTINGS[key]
    if area is None:
        return spec.default
    ids = area.ancestor_ids
    rows = db.session.execute(
        select(AreaSetting.area_id, AreaSetting.value).where(
            AreaSetting.area_id.in_(ids), AreaSetting.key == key
        )
    ).all()
    by_area = dict(rows)
    for area_id in reversed(ids):
        if area_id in by_area:
            return by_area[area_id]
    return spec.default


def effective_many(area: Area | None, keys: tuple[str, ...]) -> dict[str, str]:
    """`effective` for several keys in one query (a page that needs three settings of an
    area asks the database once, not three times)."""
    specs = {key: SETTINGS[key] for key in keys}
    if area is None:
        return {key: spec.default for key, spec in specs.items()}
    ids = area.ancestor_ids
    own: dict[tuple[str, int], str] = {
        (key, area_id): value for area_id, key, value in db.session.execute(
            select(AreaSetting.area_id, AreaSetting.key, AreaSetting.value).where(
                AreaSetting.area_id.in_(ids), AreaSetting.key.in_(keys)))}
    return {key: next((own[(key, a)] for a in reversed(ids) if (key, a) in own), spec.default)
            for key, spec in specs.items()}


def own_values(area: Area) -> dict[str, str]:
    return {row.key: row.value for row in area.settings}


def set_value(area: Area, key: str, value: str | None) -> None:
    """Set a setting on this area; an empty value removes it so the area inherits again."""
    spec = SETTINGS.get(key)
    if spec is None:
        raise DomainError(N_("Onbekende instelling: %(key)s.", key=key), field=key)
    row = next((s for s in area.settings if s.key == key), None)
    if value is None or value.strip() == "":
        if row is not None:
            area.settings.remove(row)
        db.session.flush()
        return
    value = spec.validate(value)
    if row is None:
        area.settings.append(AreaSetting(key=key, value=value))
    else:
        row.value = value
    db.session.flush()
