"""The configured geocoder: offline by default, any geopy geocoder by configuration.

GEOCODER=offline uses the PC4 gazetteer; GEOCODER=geopy.geocoders:Nominatim (module:Class)
builds that geopy geocoder instead, for deployments that may send postcodes to a service.
"""

from __future__ import annotations

from importlib import import_module

from flask import current_app
from geopy.geocoders.base import Geocoder

from marketplace.geo import OfflineGeocoder


def build_geocoder(setting: str) -> Geocoder:
    if setting in ("", "offline"):
        return OfflineGeocoder()
    module_name, _, class_name = setting.partition(":")
    if not class_name:
        raise ValueError(f"GEOCODER must be 'offline' or 'module:Class', not {setting!r}")
    geocoder_class = getattr(import_module(module_name), class_name)
    if not (isinstance(geocoder_class, type) and issubclass(geocoder_class, Geocoder)):
        raise ValueError(f"{setting} is not a geopy Geocoder")
    return geocoder_class(user_agent="buurtmakelaar")


def geocoder() -> Geocoder:
    """The app's geocoder (built once per app)."""
    cached = current_app.extensions.get("geocoder")
    if cached is None:
        cached = current_app.extensions["geocoder"] = build_geocoder(current_app.config["GEOCODER"])
    return cached
