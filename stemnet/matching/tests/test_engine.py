"""The engine against independent optima: scipy's assignment solver and brute force."""

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linear_sum_assignment

from stemnet.matching import engine
from stemnet.matching.engine import EngineInputError, Need, Offer, Rules, Weights

THEMES = ["robots", "code", "chemie", "natuur", "wiskunde"]
SETTINGS = settings(max_examples=50, deadline=None, derandomize=True)

labels = st.frozensets(st.sampled_from(THEMES), max_size=3)
ages = st.one_of(
    st.just((None, None)),
    st.tuples(st.integers(5, 12), st.integers(0, 6)).map(lambda t: (t[0], t[0] + t[1])),
)


@st.composite
def items(draw, kind, count, max_capacity):
    out = []
    for i in range(count):
        low, high = draw(ages)
        common = {
            "id": f"{kind}{i}",
            "lat": draw(st.floats(50.8, 51.2)),
            "lon": draw(st.floats(3.5, 4.3)),
            "capacity": draw(st.integers(1, max_capacity)),
            "themes": draw(labels),
            "min_age": low,
            "max_age": high,
        }
        if kind == "n":
            out.append(Need(weak_points=draw(labels), **common))
        else:
            out.append(Offer(expertise=draw(labels), **common))
    return out


def allowed(need, offer, rules):
    """The hard rules, written out again independently of the engine."""
    if (need.id, offer.id) in rules.exclusions | rules.must_not:
        return False
    km, _ = engine.pair_parts(need, offer)
    if km > rules.max_distance_km:
        return False
    if None not in (need.min_age, need.max_age, offer.min_age, offer.max_age):
        return min(need.max_age, offer.max_age) >= max(need.min_age, offer.min_age)
    return True


def lsa_optimum(needs, offers, rules, weights):
    """Needs of capacity 1, offers expanded to one column per place: scipy's optimum."""
    columns = [o for o in offers for _ in range(o.capacity)]
    bonus = 10 * weights.max_points() + 10  # one more pair always beats any score difference
    value = np.zeros((len(needs), len(columns)))
    for i, n in enumerate(needs):
        for j, o in enumerate(columns):
            if allowed(n, o, rules):
                value[i, j] = bonus + engine.score_pair(n, o, weights)
    rows, cols = linear_sum_assignment(value, maximize=True)
    chosen = [value[r, c] for r, c in zip(rows, cols, strict=True) if value[r, c] > 0]
    return len(chosen), int(sum(chosen) - bonus * len(chosen))


def brute_optimum(needs, offers, rules, weights):
    """Every subset of allowed pairs within capacities: the best (pairs, points)."""
    pairs = [(n, o) for n in needs for o in offers if allowed(n, o, rules)]
    must = [(n, o) for n in needs for o in offers if (n.id, o.id) in rules.must]
    free = [p for p in pairs if p not in must]
    best = (-1, -1)
    for mask in itertools.product((0, 1), repeat=len(free)):
        chosen = must + [p for p, m in zip(free, mask, strict=True) if m]
        if any(sum(1 for n, _ in chosen if n is x) > x.capacity for x in needs):
            continue
        if any(sum(1 for _, o in chosen if o is x) > x.capacity for x in offers):
            continue
        best = max(best, (len(chosen), sum(engine.score_pair(n, o, weights) for n, o in chosen)))
    return best


@SETTINGS
@given(
    needs=st.integers(1, 12).flatmap(lambda k: items("n", k, 1)),
    offers=st.integers(1, 8).flatmap(lambda k: items("o", k, 3)),
    radius=st.sampled_from([10.0, 25.0, 60.0]),
    weights=st.builds(
        Weights,
        distance=st.floats(0, 3),
        expertise=st.floats(0, 3),
        themes=st.floats(0, 3),
        ages=st.floats(0, 3),
        capacity=st.floats(0, 1),
    ),
)
def test_total_equals_scipy_optimum(needs, offers, radius, weights):
    rules = Rules(max_distance_km=radius)
    result = engine.match(needs, offers, weights, rules)
    assert (result.matched, result.total_points) == lsa_optimum(needs, offers, rules, weights)
    assert engine.greedy(needs, offers, weights, rules) <= (result.matched, result.total_points)
    served = {p.need_id for p in result.pairs} | {u.need_id for u in result.unmatched}
    assert served == {n.id for n in needs}  # nobody dropped


@SETTINGS
@given(
    needs=st.integers(1, 3).flatmap(lambda k: items("n", k, 2)),
    offers=st.integers(1, 3).flatmap(lambda k: items("o", k, 2)),
    data=st.data(),
)
def test_capacities_locks_and_exclusions_equal_brute_force(needs, offers, data):
    every = [(n.id, o.id) for n in needs for o in offers]
    exclusions = data.draw(st.frozensets(st.sampled_from(every), max_size=2))
    must_not = data.draw(st.frozensets(st.sampled_from(every), max_size=2))
    must = data.draw(st.frozensets(st.sampled_from(every), max_size=1)) - exclusions - must_not
    rules = Rules(max_distance_km=30, exclusions=exclusions, must=must, must_not=must_not)
    weights = Weights(capacity=0.5)
    result = engine.match(needs, offers, weights, rules)
    made = {(p.need_id, p.offer_id) for p in result.pairs}
    assert must <= made
    assert not made & (exclusions | must_not)
    assert (result.matched, result.total_points) == brute_optimum(needs, offers, rules, weights)
    for need in needs:
        got = sum(1 for p in result.pairs if p.need_id == need.id)
        missing = [u.missing for u in result.unmatched if u.need_id == need.id]
        assert got + sum(missing) == need.capacity


GHENT = (51.054, 3.717)


def near(km_east):
    """A point about ``km_east`` km east of Ghent."""
    return GHENT[0], GHENT[1] + km_east / 70.0


def test_a_must_lock_overrides_distance_and_beats_the_optimum():
    needs = [Need("school", *GHENT)]
    offers = [Offer("near", *near(1)), Offer("far", *near(80))]
    free = engine.match(needs, offers)
    assert [p.offer_id for p in free.pairs] == ["near"]
    locked = engine.match(needs, offers, rules=Rules(must=frozenset({("school", "far")})))
    assert [(p.offer_id, p.locked) for p in locked.pairs] == [("far", True)]
    assert locked.total_points < free.total_points


def test_exclusion_and_must_not_leave_the_need_unmatched_with_a_reason():
    needs = [Need("school", *GHENT)]
    offers = [Offer("a", *near(1)), Offer("b", *near(2))]
    rules = Rules(exclusions=frozenset({("school", "a")}), must_not=frozenset({("school", "b")}))
    result = engine.match(needs, offers, rules=rules)
    assert result.pairs == []
    assert result.unmatched == [engine.Unmatched("school", 1, engine.REASON_ALL_EXCLUDED)]


def test_unmatched_reasons_and_the_alternative_that_went_to_someone_else():
    needs = [
        Need("a", *GHENT, themes=frozenset({"code"})),
        Need("b", *near(3)),
        Need("far", 50.0, 5.9),
        Need("young", *GHENT, min_age=5, max_age=6),
    ]
    offers = [Offer("o1", *near(1), themes=frozenset({"code"})), Offer("o2", *near(3))]
    rules = Rules(max_distance_km=25)
    result = engine.match(needs, offers, Weights(), rules)
    reasons = {u.need_id: u.reason for u in result.unmatched}
    assert reasons["far"] == engine.REASON_NO_OFFER_IN_RANGE
    pairs = {p.need_id: p for p in result.pairs}
    assert pairs["a"].offer_id == "o1"
    assert pairs["b"].offer_id == "o2"
    assert pairs["b"].alternative.why == engine.ALT_OFFER_FULL
    assert reasons["young"] == engine.REASON_OFFERS_FULL
    only_teens = [Offer("teen", *near(1), min_age=14, max_age=18)]
    alone = engine.match([needs[3]], only_teens)
    assert alone.unmatched[0].reason == engine.REASON_NO_AGE_OVERLAP


def test_every_pair_explains_its_points():
    needs = [Need("s", *GHENT, weak_points=frozenset({"code", "robots"}), min_age=10, max_age=13)]
    offers = [Offer("c", *near(10), expertise=frozenset({"code"}), min_age=12, max_age=18)]
    (pair,) = engine.match(needs, offers, Weights(distance_half_km=10)).pairs
    parts = {p.name: p for p in pair.parts}
    assert parts["distance"].value == pytest.approx(0.5, abs=0.02)
    assert parts["expertise"].value == 0.5
    assert parts["ages"].value == 0.5  # 12 and 13 of 10-13
    assert pair.points == sum(p.points for p in pair.parts)
    again = engine.Result.from_dict(engine.match(needs, offers).to_dict())
    assert again.pairs[0].parts == pair.parts


def test_optimum_beats_greedy_where_greedy_blocks_a_pair():
    needs = [Need("x", *GHENT, themes=frozenset({"code"})), Need("y", *near(20))]
    offers = [Offer("near", *near(5), themes=frozenset({"code"})), Offer("other", *near(-15))]
    weights = Weights(themes=0.1)
    rules = Rules(max_distance_km=25)
    result = engine.match(needs, offers, weights, rules)
    assert result.matched == 2  # y reaches only "near"; x takes "other"
    assert engine.greedy(needs, offers, weights, rules)[0] == 1


@pytest.mark.parametrize(
    ("rules", "needs", "code"),
    [
        (Rules(max_distance_km=0), [Need("n", *GHENT)], engine.ERROR_RADIUS),
        (Rules(max_distance_km=10_000), [Need("n", *GHENT)], engine.ERROR_RADIUS),
        (Rules(), [Need("n", *GHENT, capacity=0)], engine.ERROR_CAPACITY),
        (Rules(), [Need("n", *GHENT), Need("n", *GHENT)], engine.ERROR_DUPLICATE_ID),
        (Rules(), [Need("n", 91, 0)], engine.ERROR_POINT),
        (Rules(must=frozenset({("n", "ghost")})), [Need("n", *GHENT)], engine.ERROR_UNKNOWN_ID),
        (
            Rules(must=frozenset({("n", "o")}), exclusions=frozenset({("n", "o")})),
            [Need("n", *GHENT)],
            engine.ERROR_LOCK_CONFLICT,
        ),
        (
            Rules(must=frozenset({("n", "o"), ("m", "o")})),
            [Need("n", *GHENT), Need("m", *GHENT)],
            engine.ERROR_LOCK_CAPACITY,
        ),
    ],
)
def test_bad_input_is_refused_with_a_code(rules, needs, code):
    with pytest.raises(EngineInputError) as caught:
        engine.match(needs, [Offer("o", *GHENT)], rules=rules)
    assert caught.value.code == code


def test_an_offer_with_no_places_left_is_never_used():
    result = engine.match([Need("n", *GHENT)], [Offer("o", *GHENT, capacity=0)])
    assert result.unmatched[0].reason == engine.REASON_OFFERS_FULL
