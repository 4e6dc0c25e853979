"""Batch mode: assign many open requests at once, optimally, under the hard rules.

Objective, in this order: as many matches as possible, then the least total distance. Each
volunteer takes at most their remaining capacity (``max - active`` commitments). A worker
reviews the proposal; nothing here writes anything.

How: the feasible pairs (hard rules of ``rules``) form a sparse bipartite graph, found per
category with k-d trees on unit vectors so no request is compared with every volunteer; a
volunteer appears once per free slot. The assignment is a min-cost full matching on that
sparse graph (scipy's LAPJVsp, ``min_weight_full_bipartite_matching``). When neither all
requests nor all slots can be matched, a maximum matching (Hopcroft-Karp) and the
Dulmage-Mendelsohn decomposition split the graph into the part where some requests must stay
unmatched and the part where all are matched; each is again a full matching, and together
they are a maximum matching of least km. (Giving each request a private "unmatched" column
of huge cost instead is also exact, but every request that ends there makes the solver
search the whole graph: 16 s instead of 1 s on the dense city.) Costs are whole metres (plus
one, since the solver reads zeros as "no edge"), which keeps the float arithmetic exact: the
result is optimal to the metre. A dense O(n^3) solver would take minutes at 10k x 10k.

``assign_greedy`` (nearest pair first) is the baseline the benchmark reports beside it.

Pure in the import-linter sense (no Flask, no SQLAlchemy); it needs numpy and scipy. scipy
is imported inside the functions that use it: a web worker that never runs a batch does not
carry scipy's ~30 MB (docs/performance.md, memory).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from geopy.distance import EARTH_RADIUS

if TYPE_CHECKING:
    from scipy.sparse import csr_array
from .geometry import great_circle_km
from .profiles import MatchRequest, VolunteerCandidate

_NO_VOG = -1
_OPEN_ENDED_VOG = 10**9  # a VOG without an end date: valid on every date we will ever see


@dataclass(frozen=True, slots=True)
class Match:
    request_id: int
    user_id: int
    distance_km: float


@dataclass(frozen=True, slots=True)
class Assignment:
    matches: tuple[Match, ...]  # by request id
    unmatched: tuple[int, ...]  # request ids, ascending
    method: str

    @property
    def matched(self) -> int:
        return len(self.matches)

    @property
    def total_km(self) -> float:
        return sum(m.distance_km for m in self.matches)


@dataclass(frozen=True, slots=True)
class Pairs:
    """Feasible (request, volunteer) pairs as parallel arrays of positions and exact km."""

    request: np.ndarray  # int64 positions into the requests sequence
    volunteer: np.ndarray  # int64 positions into the volunteers sequence
    km: np.ndarray  # float64

    def __len__(self) -> int:
        return len(self.km)


def _unit_vectors(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    phi, lam = np.radians(lat), np.radians(lon)
    return np.column_stack([np.cos(phi) * np.cos(lam), np.cos(phi) * np.sin(lam), np.sin(phi)])


def feasible_pairs(
    requests: Sequence[MatchRequest], volunteers: Sequence[VolunteerCandidate]
) -> Pairs:
    """Every (request, volunteer) pair that passes all hard rules, with its distance.

    Distances come from the k-d tree's chord lengths (within 1e-9 km of the scalar
    formula); pairs within a hair of a limit are decided with the scalar formula itself, so
    the rules give exactly what ``rules.is_eligible`` gives.
    """
    empty = Pairs(np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64), np.empty(0))
    if not requests or not volunteers:
        return empty
    from scipy.spatial import cKDTree
    r_xyz = _unit_vectors(np.array([r.lat for r in requests]), np.array([r.lon for r in requests]))
    v_xyz = _unit_vectors(np.array([v.lat for v in volunteers]),
                          np.array([v.lon for v in volunteers]))
    r_reach = np.array([r.reach_km for r in requests])
    r_vog = np.array([r.when.toordinal() if r.needs_vog else _NO_VOG for r in requests])
    v_radius = np.array([v.radius_km for v in volunteers])
    v_vog = np.array([_vog_ordinal(v) for v in volunteers])
    available = [not v.paused and v.capacity_left > 0 for v in volunteers]

    by_category: dict[str, list[int]] = {}
    for i, r in enumerate(requests):
        by_category.setdefault(r.category, []).append(i)
    parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    for category, positions in sorted(by_category.items()):
        ri = np.array(positions, dtype=np.int64)
        vi = np.array(
            [j for j, v in enumerate(volunteers) if available[j] and category in v.skills],
            dtype=np.int64,
        )
        if len(vi) == 0:
            continue
        reach = min(float(r_reach[ri].max()), float(v_radius[vi].max()))
        # Chord length of the great-circle limit, with slack so rounding never loses a pair.
        chord = 2 * np.sin(reach / EARTH_RADIUS / 2) * (1 + 1e-9) + 1e-12
        near = cKDTree(r_xyz[ri]).sparse_distance_matrix(
            cKDTree(v_xyz[vi]), chord, output_type="ndarray"
        )
        pi, pj = ri[near["i"]], vi[near["j"]]
        km = 2 * EARTH_RADIUS * np.arcsin(np.minimum(1.0, near["v"] / 2))
        limit = np.minimum(r_reach[pi], v_radius[pj])
        vog_ok = (r_vog[pi] == _NO_VOG) | (v_vog[pj] >= r_vog[pi])
        keep = (km <= limit) & vog_ok
        # Within a hair of a limit, decide with the scalar formula the rest of the engine uses.
        for e in np.nonzero(vog_ok & (np.abs(km - limit) <= 1e-9 * np.maximum(1.0, limit)))[0]:
            i, j = int(pi[e]), int(pj[e])
            km[e] = great_circle_km(requests[i].lat, requests[i].lon, volunteers[j].lat,
                                    volunteers[j].lon)
            keep[e] = km[e] <= limit[e]
        parts.append((pi[keep], pj[keep], km[keep]))
    if not parts:
        return empty
    pi, pj, km = (np.concatenate(column) for column in zip(*parts, strict=True))
    order = np.argsort(pi * len(volunteers) + pj)  # by request, then volunteer (unique keys)
    return Pairs(pi[order], pj[order], km[order])


def _vog_ordinal(volunteer: VolunteerCandidate) -> int:
    if not volunteer.has_vog:
        return _NO_VOG
    if volunteer.vog_valid_until is None:
        return _OPEN_ENDED_VOG
    return volunteer.vog_valid_until.toordinal()


def _assignment(
    requests: Sequence[MatchRequest], volunteers: Sequence[VolunteerCandidate],
    chosen: list[tuple[int, int, float]], method: str,
) -> Assignment:
    matches = sorted(
        (Match(requests[i].id, volunteers[j].user_id, km) for i, j, km in chosen),
        key=lambda m: m.request_id,
    )
    done = {m.request_id for m in matches}
    unmatched = tuple(sorted(r.id for r in requests if r.id not in done))
    return Assignment(tuple(matches), unmatched, method)


def assign_optimal(
    requests: Sequence[MatchRequest],
    volunteers: Sequence[VolunteerCandidate],
    pairs: Pairs | None = None,
) -> Assignment:
    """Most matches, then least total km, within capacity (exact, to the metre)."""
    pairs = feasible_pairs(requests, volunteers) if pairs is None else pairs
    if len(pairs) == 0:
        return _assignment(requests, volunteers, [], "optimal")
    from scipy.sparse.csgraph import min_weight_full_bipartite_matching
    graph, rows, slot_owner = _slot_graph(pairs, volunteers)
    try:
        # Often every request, or every free slot, can be matched: then a min-cost full
        # matching of the smaller side is the answer, in one go.
        matched_rows, matched_slots = min_weight_full_bipartite_matching(graph)
    except ValueError:  # not so: split off the part where some must stay unmatched
        matched_rows, matched_slots = _solve_in_parts(graph)
    req = rows[matched_rows]
    vol = slot_owner[matched_slots]
    # Look the exact km up by (request, volunteer): pairs are sorted by that key.
    key = pairs.request * len(volunteers) + pairs.volunteer
    found = np.searchsorted(key, req * len(volunteers) + vol)
    chosen = list(zip(req.tolist(), vol.tolist(), pairs.km[found].tolist(), strict=True))
    return _assignment(requests, volunteers, chosen, "optimal")


def _slot_graph(
    pairs: Pairs, volunteers: Sequence[VolunteerCandidate]
) -> tuple[csr_array, np.ndarray, np.ndarray]:
    """CSR graph: a row per request with a pair, a column per free slot of a volunteer,
    weights 1 + whole metres. Returns it with row -> request and slot -> volunteer maps."""
    from scipy.sparse import csr_array
    # Compact numbering without sorting: pairs are grouped by request already.
    new_row = np.concatenate([[True], pairs.request[1:] != pairs.request[:-1]])
    row_of = np.cumsum(new_row) - 1
    rows = pairs.request[new_row]
    present = np.zeros(len(volunteers), dtype=bool)
    present[pairs.volunteer] = True
    cols = np.nonzero(present)[0]
    col_of = (np.cumsum(present) - 1)[pairs.volunteer]
    degree = np.bincount(col_of, minlength=len(cols))
    capacity = np.array([volunteers[j].capacity_left for j in cols.tolist()])
    slots = np.minimum(capacity, degree)  # more slots than edges can never be used
    slot_start = np.concatenate([[0], np.cumsum(slots)])
    # One entry per (pair, slot of its volunteer); pairs are sorted by request, so entries
    # stay grouped by row, as CSR wants them.
    reps = slots[col_of]
    entry_pair = np.repeat(np.arange(len(pairs)), reps)
    offset = np.arange(len(entry_pair)) - np.repeat(np.cumsum(reps) - reps, reps)
    indices = slot_start[col_of][entry_pair] + offset
    data = 1.0 + np.rint(pairs.km * 1000.0)[entry_pair]
    indptr = np.concatenate([[0], np.cumsum(np.bincount(row_of[entry_pair],
                                                        minlength=len(rows)))])
    graph = csr_array((data, indices, indptr), shape=(len(rows), int(slot_start[-1])))
    return graph, rows, np.repeat(cols, slots)


def _solve_in_parts(graph: csr_array) -> tuple[np.ndarray, np.ndarray]:
    from scipy.sparse.csgraph import maximum_bipartite_matching, min_weight_full_bipartite_matching
    row_mate = maximum_bipartite_matching(graph, perm_type="column")
    deficient_rows, deficient_cols = _deficient_part(graph, row_mate)
    found_rows, found_cols = [], []
    for row_mask, col_mask in ((deficient_rows, deficient_cols),
                               (~deficient_rows, ~deficient_cols)):
        sub, row_ids, col_ids = _subgraph(graph, row_mask, col_mask)
        if sub.nnz:
            r, c = min_weight_full_bipartite_matching(sub)
            found_rows.append(row_ids[r])
            found_cols.append(col_ids[c])
    return np.concatenate(found_rows), np.concatenate(found_cols)


def _deficient_part(graph: csr_array, row_mate: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rows reachable from an unmatched row by alternating paths, and their columns.

    Dulmage-Mendelsohn: in every maximum matching these columns are all taken by these rows
    and the other rows are all matched to other columns. So "most matches, least km" splits
    into two independent full matchings, neither of which ever fails a search (which is what
    makes a single problem with an "unmatched" column per request slow on a dense city).
    """
    n_rows, n_cols = graph.shape
    col_mate = np.full(n_cols, -1)
    matched = np.nonzero(row_mate >= 0)[0]
    col_mate[row_mate[matched]] = matched
    seen_rows = row_mate < 0
    seen_cols = np.zeros(n_cols, dtype=bool)
    frontier = np.nonzero(seen_rows)[0]
    while len(frontier):
        cols = np.unique(graph[frontier].indices)
        cols = cols[~seen_cols[cols]]
        seen_cols[cols] = True
        nxt = col_mate[cols]  # all matched, or the matching would not be maximum
        nxt = nxt[~seen_rows[nxt]]
        seen_rows[nxt] = True
        frontier = nxt
    return seen_rows, seen_cols


def _subgraph(
    graph: csr_array, row_mask: np.ndarray, col_mask: np.ndarray
) -> tuple[csr_array, np.ndarray, np.ndarray]:
    from scipy.sparse import csr_array
    entry_row = np.repeat(np.arange(graph.shape[0]), np.diff(graph.indptr))
    keep = row_mask[entry_row] & col_mask[graph.indices]
    new_row = np.cumsum(row_mask) - 1
    new_col = np.cumsum(col_mask) - 1
    n_rows, n_cols = int(row_mask.sum()), int(col_mask.sum())
    counts = np.bincount(new_row[entry_row[keep]], minlength=n_rows)
    sub = csr_array((graph.data[keep], new_col[graph.indices[keep]],
                     np.concatenate([[0], np.cumsum(counts)])), shape=(n_rows, n_cols))
    return sub, np.nonzero(row_mask)[0], np.nonzero(col_mask)[0]


def assign_greedy(
    requests: Sequence[MatchRequest],
    volunteers: Sequence[VolunteerCandidate],
    pairs: Pairs | None = None,
) -> Assignment:
    """Baseline: take the nearest remaining feasible pair until none is left."""
    pairs = feasible_pairs(requests, volunteers) if pairs is None else pairs
    order = np.lexsort((pairs.volunteer, pairs.request, pairs.km))
    left = [v.capacity_left for v in volunteers]
    taken = [False] * len(requests)
    to_match = len(np.unique(pairs.request))
    chosen: list[tuple[int, int, float]] = []
    for i, j, km in zip(pairs.request[order].tolist(), pairs.volunteer[order].tolist(),
                        pairs.km[order].tolist(), strict=True):
        if taken[i] or left[j] <= 0:
            continue
        taken[i] = True
        left[j] -= 1
        chosen.append((i, j, km))
        if len(chosen) == to_match:
            break
    return _assignment(requests, volunteers, chosen, "greedy")
