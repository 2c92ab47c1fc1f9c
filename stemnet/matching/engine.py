"""The matching engine: pair needs with offers, optimally for the whole cohort, explained.

Pure Python + numpy + OR-Tools: no Django, no models. Callers (the company contact point
in this app, STEMpact's peterbedrijf matching) turn their records into the dataclasses
below, call :func:`match` and keep :meth:`Result.to_dict` (JSON-safe) if they store it.

Inputs
------
``Need(id, lat, lon, capacity=1, themes=(), weak_points=(), min_age=None, max_age=None,
max_distance_km=None)``
    Something that wants ``capacity`` offers (a school wanting one peterbedrijf, a company
    request wanting a few academies). ``weak_points`` are the need's weakest aspects (e.g. a
    school's lowest baseline dimensions) that an offer's ``expertise`` should cover.
``Offer(id, lat, lon, capacity=1, themes=(), expertise=(), min_age=None, max_age=None,
max_distance_km=None)``
    Something that can serve up to ``capacity`` needs (``0`` = full this round). An age
    range of ``None`` means "any age". Ids are any hashable, JSON-friendly value (int/str).
``Weights(distance=1, expertise=1, themes=1, ages=1, capacity=0, distance_half_km=10,
capacity_full_at=3)``
    Configuration per use: every part of a pair's score lies in [0, 1] and is multiplied by
    its weight. ``Weights.from_dict({...})`` accepts a partial dict.
``Rules(max_distance_km=25, require_age_overlap=True, require_theme_overlap=False,
exclusions=frozenset(), must=frozenset(), must_not=frozenset())``
    Hard rules. ``exclusions`` (e.g. an existing conflict, "already paired last year") and
    the staff locks ``must`` / ``must_not`` are sets of ``(need_id, offer_id)``. A pair in
    ``must`` is always made (it overrides distance, ages and themes, not capacity or an
    exclusion); a pair in ``must_not`` or ``exclusions`` is never made. A need/offer may also
    carry its own ``max_distance_km``; a pair then uses the smallest limit that applies.

Score of a pair (:func:`score_pair`)
    ``distance``: ``0.5 ** (km / distance_half_km)``; ``expertise``: share of the need's
    weak points in the offer's expertise; ``themes``: share of the need's themes the offer
    has; ``ages``: share of the need's age range the offer covers (1 when either is open);
    ``capacity``: ``min(capacity, capacity_full_at) / capacity_full_at`` (prefer offers with
    room left). The pair's score is ``round(1000 * sum(weight * part))`` integer points.

Assignment (:func:`match`)
    A min-cost max-flow (OR-Tools ``SimpleMinCostFlow``) over source → need (its capacity)
    → offer (one arc per allowed pair, capacity 1) → sink (offer capacity): first as many
    pairs as the rules allow, then the highest total score among those. Never greedy.
    :func:`greedy` exists only to show the gain in the benchmark.

Output: :class:`Result`
    ``pairs``: one :class:`Pair` per made pair with ``parts`` (name, value, weight, points),
    ``distance_km``, ``locked`` and ``alternative`` (the need's best offer it did not get:
    its points and ``why`` = ``ALT_OFFER_FULL`` (its places went to others for a better
    total) or ``ALT_LOWER_SCORE``). ``unmatched``: one :class:`Unmatched` per need that got
    fewer offers than it wanted, with ``missing`` and a reason code (``REASON_*``; human
    texts in :mod:`stemnet.matching.labels`). ``total_points``, ``matched``.

Bad input raises :class:`EngineInputError` (a ``ValueError``) with a ``code``
(``ERROR_*``) and the offending ids in ``params``.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields

import numpy as np

MAX_RADIUS_KM = 300.0  # more than the length of Flanders + Brussels
EARTH_RADIUS_KM = 6371.0088
POINTS_PER_UNIT = 1000
PARTS = ("distance", "expertise", "themes", "ages", "capacity")

REASON_NO_OFFER_IN_RANGE = "no_offer_in_range"
REASON_ALL_EXCLUDED = "all_excluded"
REASON_NO_AGE_OVERLAP = "no_age_overlap"
REASON_NO_THEME_OVERLAP = "no_theme_overlap"
REASON_TOO_FEW_OFFERS = "too_few_offers"
REASON_OFFERS_FULL = "offers_full"
ALT_OFFER_FULL = "offer_full"
ALT_LOWER_SCORE = "lower_score"
ERROR_RADIUS = "radius"
ERROR_CAPACITY = "capacity"
ERROR_DUPLICATE_ID = "duplicate_id"
ERROR_UNKNOWN_ID = "unknown_id"
ERROR_LOCK_CONFLICT = "lock_conflict"
ERROR_LOCK_CAPACITY = "lock_capacity"
ERROR_POINT = "point"
ERROR_WEIGHT = "weight"


class EngineInputError(ValueError):
    def __init__(self, code: str, message: str, **params):
        super().__init__(message)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class Need:
    id: Hashable
    lat: float
    lon: float
    capacity: int = 1
    themes: frozenset[str] = frozenset()
    weak_points: frozenset[str] = frozenset()
    min_age: int | None = None
    max_age: int | None = None
    max_distance_km: float | None = None


@dataclass(frozen=True)
class Offer:
    id: Hashable
    lat: float
    lon: float
    capacity: int = 1
    themes: frozenset[str] = frozenset()
    expertise: frozenset[str] = frozenset()
    min_age: int | None = None
    max_age: int | None = None
    max_distance_km: float | None = None


@dataclass(frozen=True)
class Weights:
    distance: float = 1.0
    expertise: float = 1.0
    themes: float = 1.0
    ages: float = 1.0
    capacity: float = 0.0
    distance_half_km: float = 10.0
    capacity_full_at: int = 3

    @classmethod
    def from_dict(cls, data: Mapping | None) -> Weights:
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in (data or {}).items() if k in names})

    def to_dict(self) -> dict:
        return asdict(self)

    def max_points(self) -> int:
        return round(POINTS_PER_UNIT * sum(getattr(self, p) for p in PARTS))


@dataclass(frozen=True)
class Rules:
    max_distance_km: float = 25.0
    require_age_overlap: bool = True
    require_theme_overlap: bool = False
    exclusions: frozenset[tuple] = frozenset()
    must: frozenset[tuple] = frozenset()
    must_not: frozenset[tuple] = frozenset()


@dataclass(frozen=True)
class Part:
    name: str
    value: float
    weight: float
    points: int


@dataclass(frozen=True)
class Alternative:
    offer_id: Hashable
    points: int
    why: str


@dataclass(frozen=True)
class Pair:
    need_id: Hashable
    offer_id: Hashable
    points: int
    distance_km: float
    parts: tuple[Part, ...]
    locked: bool = False
    alternative: Alternative | None = None


@dataclass(frozen=True)
class Unmatched:
    need_id: Hashable
    missing: int
    reason: str


@dataclass
class Result:
    pairs: list[Pair] = field(default_factory=list)
    unmatched: list[Unmatched] = field(default_factory=list)

    @property
    def total_points(self) -> int:
        return sum(p.points for p in self.pairs)

    @property
    def matched(self) -> int:
        return len(self.pairs)

    def to_dict(self) -> dict:
        return {
            "total_points": self.total_points,
            "matched": self.matched,
            "pairs": [asdict(p) for p in self.pairs],
            "unmatched": [asdict(u) for u in self.unmatched],
        }

    @classmethod
    def from_dict(cls, data: Mapping) -> Result:
        pairs = []
        for p in data.get("pairs", []):
            alt = p.get("alternative")
            pairs.append(
                Pair(
                    need_id=p["need_id"],
                    offer_id=p["offer_id"],
                    points=p["points"],
                    distance_km=p["distance_km"],
                    parts=tuple(Part(**x) for x in p["parts"]),
                    locked=p.get("locked", False),
                    alternative=Alternative(**alt) if alt else None,
                )
            )
        unmatched = [Unmatched(**u) for u in data.get("unmatched", [])]
        return cls(pairs=pairs, unmatched=unmatched)


# ---------------------------------------------------------------- validation


def _validate(needs: Sequence[Need], offers: Sequence[Offer], weights: Weights, rules: Rules):
    if not (0 < rules.max_distance_km <= MAX_RADIUS_KM):
        raise EngineInputError(
            ERROR_RADIUS,
            f"max_distance_km must lie in (0, {MAX_RADIUS_KM}]",
            value=rules.max_distance_km,
        )
    for name in (*PARTS, "distance_half_km"):
        value = getattr(weights, name)
        if not (isinstance(value, int | float) and math.isfinite(value) and value >= 0):
            raise EngineInputError(ERROR_WEIGHT, f"weight {name} must be a number >= 0", name=name)
    if weights.distance_half_km <= 0 or weights.capacity_full_at < 1:
        raise EngineInputError(ERROR_WEIGHT, "distance_half_km and capacity_full_at must be > 0")
    for kind, items, least in (("need", needs, 1), ("offer", offers, 0)):
        seen = set()
        for item in items:
            if item.id in seen:
                raise EngineInputError(
                    ERROR_DUPLICATE_ID, f"duplicate {kind} id", kind=kind, id=item.id
                )
            seen.add(item.id)
            if not isinstance(item.capacity, int) or item.capacity < least:
                raise EngineInputError(
                    ERROR_CAPACITY, f"{kind} capacity must be >= {least}", kind=kind, id=item.id
                )
            if not (-90 <= item.lat <= 90 and -180 <= item.lon <= 180):
                raise EngineInputError(
                    ERROR_POINT, f"{kind} point out of range", kind=kind, id=item.id
                )
            limit = item.max_distance_km
            if limit is not None and not (0 < limit <= MAX_RADIUS_KM):
                raise EngineInputError(
                    ERROR_RADIUS, "max_distance_km out of range", id=item.id, value=limit
                )


# ---------------------------------------------------------------- scoring


def distance_km(lat1: float, lon1: float, lat2, lon2):
    """Great-circle distance (haversine); ``lat2``/``lon2`` may be numpy arrays."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dlat = p2 - p1
    dlon = np.radians(lon2) - np.radians(lon1)
    a = np.sin(dlat / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.minimum(a, 1.0)))


class _Vocabulary:
    """Labels as bits: set overlaps of one need against every offer in one numpy step."""

    def __init__(self, labels: Iterable[str]):
        self.index = {label: i for i, label in enumerate(sorted(set(labels)))}
        self.words = max(1, math.ceil(len(self.index) / 64))

    def mask(self, labels: Iterable[str]) -> np.ndarray:
        if isinstance(labels, frozenset):
            cache = self.__dict__.setdefault("_cache", {})
            if labels not in cache:
                cache[labels] = self._mask(labels)
            return cache[labels]
        return self._mask(labels)

    def _mask(self, labels: Iterable[str]) -> np.ndarray:
        out = np.zeros(self.words, dtype=np.uint64)
        for label in labels:
            i = self.index.get(label)
            if i is not None:
                out[i // 64] |= np.uint64(1) << np.uint64(i % 64)
        return out

    def masks(self, items: Iterable[Iterable[str]]) -> np.ndarray:
        rows = [self.mask(labels) for labels in items]
        return np.array(rows, dtype=np.uint64).reshape(len(rows), self.words)


def _overlap(mask: np.ndarray, table: np.ndarray) -> np.ndarray:
    return np.bitwise_count(table & mask).sum(axis=1)


class _Table:
    """The offers as arrays, and the scoring of one need against any subset of them."""

    def __init__(self, needs: Sequence[Need], offers: Sequence[Offer], weights: Weights):
        self.offers = offers
        self.weights = weights
        self.position = {o.id: i for i, o in enumerate(offers)}
        self.lat = np.array([o.lat for o in offers], dtype=float)
        self.lon = np.array([o.lon for o in offers], dtype=float)
        self.capacity = np.array([o.capacity for o in offers], dtype=np.int64)
        self.limit = np.array([o.max_distance_km or math.inf for o in offers], dtype=float)
        open_age = [o.min_age is None or o.max_age is None for o in offers]
        self.age_open = np.array(open_age, dtype=bool)
        self.min_age = np.array([o.min_age if o.min_age is not None else 0 for o in offers])
        self.max_age = np.array([o.max_age if o.max_age is not None else 0 for o in offers])
        self.themes = _Vocabulary([t for x in (*needs, *offers) for t in x.themes])
        self.skills = _Vocabulary(
            [t for n in needs for t in n.weak_points] + [t for o in offers for t in o.expertise]
        )
        self.theme_masks = self.themes.masks(o.themes for o in offers)
        self.skill_masks = self.skills.masks(o.expertise for o in offers)

    def distances(self, need: Need, idx: np.ndarray | None = None) -> np.ndarray:
        if idx is None:
            return distance_km(need.lat, need.lon, self.lat, self.lon)
        return distance_km(need.lat, need.lon, self.lat[idx], self.lon[idx])

    def near(self, need: Need, limit_km: float) -> np.ndarray:
        """Positions of the offers inside the box of ``limit_km`` around the need (a superset
        of those within that distance): a latitude band by binary search, then longitude."""
        if not hasattr(self, "_lat_order"):
            self._lat_order = np.argsort(self.lat, kind="stable")
            self._lat_sorted = self.lat[self._lat_order]
        dlat = limit_km / 110.5 + 1e-6
        lo, hi = np.searchsorted(self._lat_sorted, [need.lat - dlat, need.lat + dlat], "left")
        band = self._lat_order[lo : hi + 1 if hi < len(self.lat) else hi]
        coslat = max(math.cos(math.radians(min(89.0, abs(need.lat) + dlat))), 1e-6)
        dlon = limit_km / (111.4 * coslat) + 1e-6
        if dlon >= 180:
            return np.sort(band)
        gap = np.abs((self.lon[band] - need.lon + 180.0) % 360.0 - 180.0)
        return np.sort(band[gap <= dlon])

    def age_overlap(self, need: Need, idx: np.ndarray) -> np.ndarray:
        """Years of the need's age range each offer covers (the whole range when open)."""
        if need.min_age is None or need.max_age is None:
            return np.ones(len(idx))
        span = need.max_age - need.min_age + 1
        overlap = np.minimum(need.max_age, self.max_age[idx]) - np.maximum(
            need.min_age, self.min_age[idx]
        )
        return np.where(self.age_open[idx], span, np.maximum(0, overlap + 1)) / span

    def parts(self, need: Need, idx: np.ndarray, km: np.ndarray) -> dict[str, np.ndarray]:
        """Each named part's value in [0, 1] for the offers ``idx`` (``km`` aligned)."""
        w = self.weights
        weak = len(need.weak_points)
        wanted = len(need.themes)
        skills = _overlap(self.skills.mask(need.weak_points), self.skill_masks[idx])
        themes = _overlap(self.themes.mask(need.themes), self.theme_masks[idx])
        return {
            "distance": 0.5 ** (km / w.distance_half_km),
            "expertise": skills / weak if weak else np.zeros(len(idx)),
            "themes": themes / wanted if wanted else np.zeros(len(idx)),
            "ages": self.age_overlap(need, idx),
            "capacity": np.minimum(self.capacity[idx], w.capacity_full_at) / w.capacity_full_at,
        }

    def points(self, values: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        w = self.weights
        return {
            name: np.rint(POINTS_PER_UNIT * getattr(w, name) * values[name]).astype(np.int64)
            for name in PARTS
        }

    def explain(self, need: Need, idx: np.ndarray, km: np.ndarray) -> list[tuple[Part, ...]]:
        values = self.parts(need, idx, km)
        points = self.points(values)
        return [
            tuple(
                Part(
                    name=name,
                    value=round(float(values[name][k]), 4),
                    weight=getattr(self.weights, name),
                    points=int(points[name][k]),
                )
                for name in PARTS
            )
            for k in range(len(idx))
        ]


def pair_parts(need: Need, offer: Offer, weights: Weights | None = None) -> tuple[float, tuple]:
    """One pair's distance (km) and its named, weighted parts (hard rules not applied)."""
    table = _Table([need], [offer], weights or Weights())
    km = table.distances(need)
    return float(km[0]), table.explain(need, np.array([0]), km)[0]


def score_pair(need: Need, offer: Offer, weights: Weights | None = None) -> int:
    """One pair's score in integer points: the number :func:`match` adds up and maximises."""
    return sum(p.points for p in pair_parts(need, offer, weights)[1])


# ---------------------------------------------------------------- candidates


@dataclass
class _Candidates:
    """One need's allowed offers (positions, km, points) and how the rules thinned them."""

    idx: np.ndarray
    km: np.ndarray
    points: np.ndarray
    in_range: int
    not_excluded: int
    age_ok: int


def _candidates(need: Need, table: _Table, rules: Rules, blocked: set[int]) -> _Candidates:
    reach = min(rules.max_distance_km, need.max_distance_km or math.inf)
    box = table.near(need, reach)
    km = table.distances(need, box)
    keep = km <= np.minimum(table.limit[box], reach)
    idx, km = box[keep], km[keep]
    in_range = len(idx)
    if blocked:
        keep = ~np.isin(idx, np.fromiter(blocked, dtype=np.int64))
        idx, km = idx[keep], km[keep]
    not_excluded = len(idx)
    if rules.require_age_overlap and need.min_age is not None and need.max_age is not None:
        keep = table.age_overlap(need, idx) > 0
        idx, km = idx[keep], km[keep]
    age_ok = len(idx)
    if rules.require_theme_overlap and need.themes:
        keep = _overlap(table.themes.mask(need.themes), table.theme_masks[idx]) > 0
        idx, km = idx[keep], km[keep]
    points = sum(table.points(table.parts(need, idx, km)).values())
    points = np.asarray(points, dtype=np.int64).reshape(len(idx))
    return _Candidates(idx, km, points, in_range, not_excluded, age_ok)


def _unmatched_reason(cand: _Candidates, wanted: int, locked: int) -> str:
    if len(cand.idx) + locked == 0:
        if cand.in_range == 0:
            return REASON_NO_OFFER_IN_RANGE
        if cand.not_excluded == 0:
            return REASON_ALL_EXCLUDED
        if cand.age_ok == 0:
            return REASON_NO_AGE_OVERLAP
        return REASON_NO_THEME_OVERLAP
    if len(cand.idx) + locked < wanted:
        return REASON_TOO_FEW_OFFERS
    return REASON_OFFERS_FULL


def _check_locks(needs, offers, rules: Rules) -> list[tuple[int, int]]:
    need_pos = {n.id: i for i, n in enumerate(needs)}
    offer_pos = {o.id: i for i, o in enumerate(offers)}
    forbidden = rules.exclusions | rules.must_not
    locked: list[tuple[int, int]] = []
    need_used: dict[int, int] = {}
    offer_used: dict[int, int] = {}
    for need_id, offer_id in sorted(rules.must, key=repr):
        if need_id not in need_pos or offer_id not in offer_pos:
            raise EngineInputError(
                ERROR_UNKNOWN_ID, "a lock names an unknown need or offer", pair=(need_id, offer_id)
            )
        if (need_id, offer_id) in forbidden:
            raise EngineInputError(
                ERROR_LOCK_CONFLICT, "a pair is both locked and excluded", pair=(need_id, offer_id)
            )
        n, o = need_pos[need_id], offer_pos[offer_id]
        need_used[n] = need_used.get(n, 0) + 1
        offer_used[o] = offer_used.get(o, 0) + 1
        if need_used[n] > needs[n].capacity or offer_used[o] > offers[o].capacity:
            raise EngineInputError(
                ERROR_LOCK_CAPACITY, "more locks than capacity", pair=(need_id, offer_id)
            )
        locked.append((n, o))
    return locked


def _blocked(needs, table: _Table, rules: Rules, locked) -> dict[int, set[int]]:
    need_pos = {n.id: i for i, n in enumerate(needs)}
    out: dict[int, set[int]] = {}
    for need_id, offer_id in rules.exclusions | rules.must_not:
        if need_id in need_pos and offer_id in table.position:
            out.setdefault(need_pos[need_id], set()).add(table.position[offer_id])
    for n, o in locked:  # already made: not a candidate a second time
        out.setdefault(n, set()).add(o)
    return out


# ---------------------------------------------------------------- assignment


def _prepare(needs, offers, weights, rules):
    needs, offers = list(needs), list(offers)
    weights, rules = weights or Weights(), rules or Rules()
    _validate(needs, offers, weights, rules)
    table = _Table(needs, offers, weights)
    locked = _check_locks(needs, offers, rules)
    blocked = _blocked(needs, table, rules, locked)
    cands = [_candidates(n, table, rules, blocked.get(i, set())) for i, n in enumerate(needs)]
    need_left = np.array([n.capacity for n in needs], dtype=np.int64)
    offer_left = table.capacity.copy()
    for n, o in locked:
        need_left[n] -= 1
        offer_left[o] -= 1
    return needs, table, locked, cands, need_left, offer_left


def _solve_flow(cands, need_left, offer_left) -> list[tuple[int, int]]:
    """Max-cardinality, then max-points b-matching as a min-cost max-flow (OR-Tools)."""
    from ortools.graph.python import min_cost_flow

    n_needs, n_offers = len(cands), len(offer_left)
    source, sink = 0, n_needs + n_offers + 1
    tails, heads, costs = [], [], []
    for i, cand in enumerate(cands):
        if need_left[i] <= 0 or not len(cand.idx):
            continue
        room = offer_left[cand.idx] > 0
        tails.append(np.full(int(room.sum()), i + 1, dtype=np.int64))
        heads.append(cand.idx[room] + 1 + n_needs)
        costs.append(cand.points[room])
    if not tails:
        return []
    tails, heads, costs = np.concatenate(tails), np.concatenate(heads), np.concatenate(costs)
    costs = int(costs.max(initial=0)) - costs  # ≥ 0; every max flow has as many arcs
    flow = min_cost_flow.SimpleMinCostFlow()
    pair_arcs = flow.add_arcs_with_capacity_and_unit_cost(
        tails, heads, np.ones(len(tails), dtype=np.int64), costs
    )
    need_nodes = np.arange(1, n_needs + 1, dtype=np.int64)
    offer_nodes = np.arange(n_needs + 1, n_needs + n_offers + 1, dtype=np.int64)
    flow.add_arcs_with_capacity_and_unit_cost(
        np.full(n_needs, source, dtype=np.int64),
        need_nodes,
        np.maximum(need_left, 0),
        np.zeros(n_needs, dtype=np.int64),
    )
    flow.add_arcs_with_capacity_and_unit_cost(
        offer_nodes,
        np.full(n_offers, sink, dtype=np.int64),
        np.maximum(offer_left, 0),
        np.zeros(n_offers, dtype=np.int64),
    )
    supply = int(np.maximum(need_left, 0).sum())
    flow.set_node_supply(source, supply)
    flow.set_node_supply(sink, -supply)
    status = flow.solve_max_flow_with_min_cost()
    if status != flow.OPTIMAL:  # pragma: no cover - capacities and costs are bounded
        raise RuntimeError(f"min-cost flow failed with status {status}")
    used = np.flatnonzero(flow.flows(pair_arcs) > 0)
    return [(int(tails[a]) - 1, int(heads[a]) - 1 - n_needs) for a in used]


def match(
    needs: Iterable[Need],
    offers: Iterable[Offer],
    weights: Weights | None = None,
    rules: Rules | None = None,
) -> Result:
    """The optimal assignment of the whole cohort, every pair explained (see module doc)."""
    needs, table, locked, cands, need_left, offer_left = _prepare(needs, offers, weights, rules)
    chosen = _solve_flow(cands, need_left, offer_left)
    by_need: dict[int, list[tuple[int, bool]]] = {}
    for n, o in locked:
        by_need.setdefault(n, []).append((o, True))
    for n, o in chosen:
        by_need.setdefault(n, []).append((o, False))
    used = np.zeros(len(table.offers), dtype=np.int64)
    for pairs in by_need.values():
        for o, _ in pairs:
            used[o] += 1
    result = Result()
    for i, need in enumerate(needs):
        pairs = by_need.get(i, [])
        result.pairs.extend(_explain_need(need, pairs, cands[i], table, used))
        if len(pairs) < need.capacity:
            locked_count = sum(1 for _, is_locked in pairs if is_locked)
            reason = _unmatched_reason(cands[i], need.capacity, locked_count)
            result.unmatched.append(Unmatched(need.id, need.capacity - len(pairs), reason))
    return result


def _explain_need(need, pairs, cand: _Candidates, table: _Table, used) -> list[Pair]:
    if not pairs:
        return []
    idx = np.array([o for o, _ in pairs], dtype=np.int64)
    km = table.distances(need, idx)
    explained = table.explain(need, idx, km)
    alternative = _alternative(cand, set(idx.tolist()), table, used)
    out = [
        Pair(
            need_id=need.id,
            offer_id=table.offers[o].id,
            points=sum(p.points for p in parts),
            distance_km=round(float(k), 2),
            parts=parts,
            locked=is_locked,
            alternative=alternative,
        )
        for (o, is_locked), k, parts in zip(pairs, km, explained, strict=True)
    ]
    return sorted(out, key=lambda p: -p.points)


def _alternative(cand: _Candidates, taken: set[int], table: _Table, used) -> Alternative | None:
    if not len(cand.idx):
        return None
    first = min(len(taken) + 1, len(cand.idx))
    best = np.argpartition(-cand.points, first - 1)[:first]
    for k in best[np.argsort(-cand.points[best], kind="stable")]:
        o = int(cand.idx[k])
        if o in taken:
            continue
        full = used[o] >= table.capacity[o]
        why = ALT_OFFER_FULL if full else ALT_LOWER_SCORE
        return Alternative(offer_id=table.offers[o].id, points=int(cand.points[k]), why=why)
    return None


def greedy(
    needs: Iterable[Need],
    offers: Iterable[Offer],
    weights: Weights | None = None,
    rules: Rules | None = None,
) -> tuple[int, int]:
    """(pairs, total points) of best-pair-first greedy: only to show what :func:`match` gains."""
    needs, table, locked, cands, need_left, offer_left = _prepare(needs, offers, weights, rules)
    total = sum(score_pair(needs[n], table.offers[o], table.weights) for n, o in locked)
    arcs = [
        (int(p), i, int(o))
        for i, cand in enumerate(cands)
        for o, p in zip(cand.idx.tolist(), cand.points.tolist(), strict=True)
    ]
    arcs.sort(key=lambda a: -a[0])
    made = len(locked)
    for points, n, o in arcs:
        if need_left[n] > 0 and offer_left[o] > 0:
            need_left[n] -= 1
            offer_left[o] -= 1
            total += points
            made += 1
    return made, total
