"""Smoke test of the benchmark machinery at a tiny size (the real run is `make bench`)."""

import datetime as dt

import pytest

from stemnet.agenda.models import Activity, Session
from stemnet.bench import measure
from stemnet.bench.generate import agenda_generate
from stemnet.bench.stats import percentile


@pytest.mark.django_db
def test_generate_and_measure_tiny():
    result = agenda_generate(
        activities=200, sessions=600, organisations=5, base_date=dt.date.today(), log=lambda m: None
    )

    assert (result.activities, result.sessions) == (200, 600)
    assert Activity.objects.count() == 200
    assert Session.objects.count() == 600
    assert not Activity.objects.filter(search_text="").exists()  # the search module indexed
    assert Activity.objects.filter(municipality__region_id="02000").count() == 200
    # The built search index agrees with the rows (what agenda_search_check reports).
    from stemnet.agenda.search.check import search_differences

    assert search_differences() == []

    queries = measure.query_strings(dt.date.today())
    assert len(queries) >= 20
    picked = [q for q in queries if q[0] in {"everything, page 1", "text only", "radius+kind"}]
    digests = {label: measure.search_call(query)() for label, query in picked}
    assert digests["everything, page 1"]["count"] > 0
    assert digests["everything, page 1"]["facets"] > 0

    calls = [(label, measure.search_call(query)) for label, query in picked]
    times = measure.time_rounds(calls, warmup=1, runs=2)
    summary = measure.summarise(times)
    assert summary["all"]["n"] == 6
    assert 0 < summary["all"]["p50"] <= summary["all"]["p95"]

    statements, digest = measure.record_selector_sql(picked[0][1])
    assert statements
    assert digest == digests[picked[0][0]]
    replay = measure.replay_call(statements)
    assert replay() >= 0
    raw = measure.summarise(measure.time_rounds([("raw", replay)], warmup=0, runs=3))
    assert raw["all"]["p50"] > 0


def test_percentile():
    assert percentile([1.0, 2.0, 3.0, 4.0, 5.0], 50) == 3.0
    assert percentile([1.0, 2.0], 95) == pytest.approx(1.95)
    assert percentile([7.0], 95) == 7.0


@pytest.mark.django_db
def test_calibration_is_measured_and_reported():
    from stemnet.bench.agenda import calibrate
    from stemnet.bench.report import _calibration

    found = calibrate(repeat=1)
    assert found["python_loop_ms"] > 0 and found["database_ms"] > 0
    line = _calibration({"calibration": found})
    assert "5,000,000 additions" in line and found["sql"] in line
    assert _calibration({}) == ""


@pytest.mark.parametrize(
    ("text", "activities"), [("100k", 100_000), ("1m", 1_000_000), ("250000", 250_000)]
)
def test_scale_option(text, activities):
    from stemnet.bench.__main__ import _scale

    assert _scale(text) == activities


@pytest.mark.parametrize("text", ["", "0", "lots", "-5k"])
def test_bad_scale_is_refused(text):
    import argparse

    from stemnet.bench.__main__ import _scale

    with pytest.raises(argparse.ArgumentTypeError):
        _scale(text)
