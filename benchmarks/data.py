"""Seeded synthetic volunteers and requests on real Dutch geography (no downloads).

Population proxy: every PC4 area holds roughly the same number of residents (about 4,300 on
average), so drawing a PC4 centroid uniformly weights each place by its number of PC4 codes
in the packaged gazetteer: Amsterdam (81 codes) gets 81 times the volunteers of a village
with one. Those draws are jittered by a few hundred metres so people do not sit on the
centroids. About 15% live in the countryside: uniform over the country's land, where "land"
means within 6 km of some PC4 centroid (that keeps points out of the North Sea and the
IJsselmeer without shipping a coastline).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
from scipy.spatial import cKDTree

from marketplace.geo import default_gazetteer

CATEGORIES = (
    "shopping", "transport", "odd_jobs", "garden", "companionship", "paperwork",
    "digital", "meals", "language", "carer_respite", "pets", "other",
)
VOG_CATEGORIES = frozenset({"companionship", "paperwork", "carer_respite"})
ON_DATE = date(2026, 6, 1)
COUNTRYSIDE_SHARE = 0.15
JITTER_KM = 0.6
KM_PER_DEG_LAT = 110.57
KM_PER_DEG_LON = 68.0  # at 52.3 degrees north, the middle of the country


@dataclass(frozen=True)
class Volunteers:
    """Columns of n volunteers (row i is user id i + 1); categories are a CSR-style list."""

    user_id: np.ndarray  # int64
    lat: np.ndarray
    lon: np.ndarray
    radius_km: np.ndarray
    paused: np.ndarray  # bool
    active: np.ndarray  # int
    max_commitments: np.ndarray
    has_vog: np.ndarray  # bool
    vog_valid_until: list[date | None]
    cat_offsets: np.ndarray  # categories of row i: cat_codes[cat_offsets[i]:cat_offsets[i + 1]]
    cat_codes: np.ndarray  # int8 index into CATEGORIES

    def __len__(self) -> int:
        return len(self.user_id)

    def categories(self, i: int) -> list[str]:
        return [CATEGORIES[c] for c in self.cat_codes[self.cat_offsets[i]:self.cat_offsets[i + 1]]]

    def index_rows(self) -> tuple[np.ndarray, np.ndarray]:
        """(row number, category index) for every (volunteer, category) pair, in order."""
        counts = np.diff(self.cat_offsets)
        return np.repeat(np.arange(len(self)), counts), self.cat_codes


@dataclass(frozen=True)
class Query:
    """One request point of the candidate benchmark."""

    category: str
    lat: float
    lon: float
    reach_km: float
    needs_vog: bool


def _pc4_points() -> np.ndarray:
    return np.array([(p.lat, p.lon) for p in default_gazetteer()], dtype=float)


def _land_tree(points: np.ndarray) -> cKDTree:
    return cKDTree(np.column_stack([points[:, 0] * KM_PER_DEG_LAT, points[:, 1] * KM_PER_DEG_LON]))


def positions(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """n (lat, lon) points: population-weighted around places, ~15% countryside."""
    pc4 = _pc4_points()
    rural = rng.random(n) < COUNTRYSIDE_SHARE
    n_town = int((~rural).sum())
    picks = pc4[rng.integers(0, len(pc4), n_town)]
    lat = np.empty(n)
    lon = np.empty(n)
    lat[~rural] = picks[:, 0] + rng.normal(0, JITTER_KM / KM_PER_DEG_LAT, n_town)
    lon[~rural] = picks[:, 1] + rng.normal(0, JITTER_KM / KM_PER_DEG_LON, n_town)
    tree = _land_tree(pc4)
    lo, hi = pc4.min(axis=0), pc4.max(axis=0)
    need = int(rural.sum())
    found: list[np.ndarray] = []
    while need > 0:
        cand = rng.uniform(lo, hi, size=(need * 3, 2))
        dist, _ = tree.query(
            np.column_stack([cand[:, 0] * KM_PER_DEG_LAT, cand[:, 1] * KM_PER_DEG_LON])
        )
        keep = cand[dist <= 6.0][:need]
        found.append(keep)
        need -= len(keep)
    rural_pts = np.concatenate(found) if found else np.empty((0, 2))
    lat[rural], lon[rural] = rural_pts[:, 0], rural_pts[:, 1]
    return np.round(lat, 6), np.round(lon, 6)


def make_volunteers(n: int, seed: int = 20261123) -> Volunteers:
    rng = np.random.default_rng(seed)
    lat, lon = positions(rng, n)
    radius = np.round(rng.uniform(1.0, 25.0, n), 1)
    counts = rng.integers(1, 6, n)  # 1-5 categories each
    offsets = np.concatenate([[0], np.cumsum(counts)])
    # Distinct categories per volunteer: the first k of a random permutation of the 12.
    perms = np.argsort(rng.random((n, len(CATEGORIES))), axis=1).astype(np.int8)
    mask = np.arange(len(CATEGORIES))[None, :] < counts[:, None]
    codes = perms[mask]
    max_c = rng.integers(1, 4, n)
    active = np.minimum(rng.integers(0, 4, n), max_c)  # about a quarter are at capacity
    has_vog = rng.random(n) < 0.35
    expiry_days = rng.integers(-365, 3 * 365, n)
    open_ended = rng.random(n) < 0.3
    vog_until: list[date | None] = [
        None if not v or o else ON_DATE + timedelta(days=int(d))
        for v, o, d in zip(has_vog.tolist(), open_ended.tolist(), expiry_days.tolist(), strict=True)
    ]
    return Volunteers(
        user_id=np.arange(1, n + 1, dtype=np.int64),
        lat=lat, lon=lon, radius_km=radius,
        paused=rng.random(n) < 0.05,
        active=active, max_commitments=max_c,
        has_vog=has_vog, vog_valid_until=vog_until,
        cat_offsets=offsets, cat_codes=codes,
    )


def make_queries(count: int = 200, seed: int = 7, reach_km: float = 5.0) -> list[Query]:
    rng = np.random.default_rng(seed)
    lat, lon = positions(rng, count)
    cats = rng.integers(0, len(CATEGORIES), count)
    return [
        Query(CATEGORIES[c], float(a), float(o), reach_km, CATEGORIES[c] in VOG_CATEGORIES)
        for c, a, o in zip(cats.tolist(), lat.tolist(), lon.tolist(), strict=True)
    ]
