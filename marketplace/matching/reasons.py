"""Reasons as data, ``(code, params)``, and a pure Dutch formatter for them.

The engine only produces codes and parameters; wording is this module's job, so the app can
later translate by code (``explain(reason, locale)`` is where English would go). Distances in
params are already rounded to 0.5 km (see ``marketplace.geo.round_half_km``): others never see
an exact distance.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any, NamedTuple

from .profiles import DAY_PART_ORDER


class Reason(NamedTuple):
    """One explanation: a stable code and its parameters (read-only)."""

    code: str
    params: Mapping[str, Any]

    @classmethod
    def of(cls, code: str, **params: Any) -> Reason:
        return cls(code, MappingProxyType(params))

    def text(self) -> str:
        return explain(self)


DAY_NL = {"mon": "ma", "tue": "di", "wed": "wo", "thu": "do", "fri": "vr", "sat": "za",
          "sun": "zo"}
PART_NL = {"morning": "ochtend", "afternoon": "middag", "evening": "avond"}
LANGUAGE_NL = {
    "ar": "Arabisch", "ber": "Berbers", "bg": "Bulgaars", "de": "Duits", "en": "Engels",
    "es": "Spaans", "fa": "Perzisch", "fr": "Frans", "fy": "Fries", "it": "Italiaans",
    "nl": "Nederlands", "pap": "Papiaments", "pl": "Pools", "pt": "Portugees",
    "ro": "Roemeens", "ru": "Russisch", "so": "Somalisch", "srn": "Sranantongo",
    "ti": "Tigrinya", "tr": "Turks", "uk": "Oekraïens", "zh": "Chinees",
}


def format_km(km: float) -> str:
    """2.5 -> "2,5"; 3.0 -> "3" (Dutch decimal comma, no needless ",0")."""
    if float(km).is_integer():
        return str(int(km))
    return f"{km:.1f}".replace(".", ",")


def day_part_nl(code: str) -> str:
    """"tue_morning" -> "di-ochtend"."""
    day, part = code.split("_", 1)
    return f"{DAY_NL[day]}-{PART_NL[part]}"


def day_parts_nl(codes: object) -> str:
    ordered = sorted(codes, key=DAY_PART_ORDER.__getitem__)  # type: ignore[call-overload]
    return ", ".join(day_part_nl(code) for code in ordered)


def language_nl(code: str) -> str:
    return LANGUAGE_NL.get(code, code)


def _radius_owner(params: Mapping[str, Any]) -> str:
    return params.get("pronoun") or "de"


def _people(n: int) -> str:
    return "1 persoon" if n == 1 else f"{n} mensen"


def _load(p: Mapping[str, Any]) -> str:
    if p["active"] == 0:
        return f"helpt nu niemand (max {p['max']})"
    return f"helpt al {_people(p['active'])} (max {p['max']})"


_DUTCH: dict[str, Callable[[Mapping[str, Any]], str]] = {
    # Soft factors (why this candidate ranks where it does).
    "distance": lambda p: f"{format_km(p['km'])} km, binnen {_radius_owner(p)} straal",
    "has_vog": lambda p: "heeft VOG",
    "load": _load,
    "continuity": lambda p: "hielp deze bewoner eerder",
    "available": lambda p: f"beschikbaar {day_parts_nl(p['slots'])}",
    "not_available": lambda p: "niet beschikbaar op de gevraagde dagdelen",
    "speaks": lambda p: f"spreekt {language_nl(p['language'])}",
    "does_not_speak": lambda p: f"spreekt geen {language_nl(p['language'])}",
    # Hard rules (why a volunteer is not a candidate at all).
    "skill_absent": lambda p: "helpt niet met deze soort hulp",
    "paused": lambda p: "heeft pauze",
    "at_capacity": lambda p: f"helpt al {_people(p['active'])} (max {p['max']})",
    "vog_missing": lambda p: "geen geldige VOG, en die is hier nodig",
    "outside_radius": lambda p: (
        f"{format_km(p['km'])} km, buiten {_radius_owner(p)} straal van "
        f"{format_km(p['radius_km'])} km"
    ),
    "outside_reach": lambda p: (
        f"{format_km(p['km'])} km, verder dan de gevraagde {format_km(p['reach_km'])} km"
    ),
    # The resident's own network.
    "network_can_help": lambda p: f"{p['relation']}, kan hierbij helpen",
}

CODES = frozenset(_DUTCH)


def explain(reason: Reason) -> str:
    """The plain-Dutch sentence for a reason; unknown codes raise KeyError (a bug, not input)."""
    return _DUTCH[reason.code](reason.params)
