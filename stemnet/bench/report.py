"""Machine description, result tables and the agenda section of docs/benchmarks.md."""

from __future__ import annotations

import datetime as dt
import os
import platform
import re
from pathlib import Path

START = "<!-- bench:agenda:start -->"
END = "<!-- bench:agenda:end -->"
HEADER = """# Benchmarks

Figures written by `make bench` (`python -m stemnet.bench`). Each section is rewritten
by its own benchmark; the others are kept.
"""

TARGET_P95_MS = 50.0
TARGET_RATIO = 3.0


def machine() -> dict:
    info = {
        "cpus": os.cpu_count(),
        "cpu": platform.processor() or platform.machine(),
        "memory_gib": None,
        "kernel": platform.release(),
    }
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                info["memory_gib"] = round(int(line.split()[1]) / 1024 / 1024, 1)
                break
    except OSError:
        pass
    return info


def verdict(result: dict) -> dict:
    """Ratios HTTP / raw SQL and whether the targets hold."""
    out: dict = {}
    http = result.get("http", {}).get("all")
    raw = result.get("raw_sql", {}).get("all")
    if http and raw:
        out["ratio_p50"] = http["p50"] / raw["p50"] if raw["p50"] else float("inf")
        out["ratio_p95"] = http["p95"] / raw["p95"] if raw["p95"] else float("inf")
        out["ratio_ok"] = out["ratio_p95"] <= TARGET_RATIO
        out["p95_ok"] = http["p95"] <= TARGET_P95_MS
    return out


def _ms(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def table(result: dict) -> str:
    """The summary table of one database (Markdown)."""
    v = verdict(result)
    rows = ["| measure | p50 (ms) | p95 (ms) | max (ms) | requests |", "|---|--:|--:|--:|--:|"]
    for key, name in (
        ("inprocess", "in-process selector"),
        ("http", f"HTTP, gunicorn {result.get('http_workers', 2)} workers"),
        ("raw_sql", "raw SQL of the request"),
    ):
        s = result.get(key, {}).get("all")
        if s:
            rows.append(
                f"| {name} | {_ms(s['p50'])} | {_ms(s['p95'])} | {_ms(s['max'])} | {s['n']} |"
            )
    if v:
        rows.append(f"| ratio HTTP / raw SQL | {v['ratio_p50']:.1f}× | {v['ratio_p95']:.1f}× | | |")
    return "\n".join(rows)


def targets(result: dict) -> str:
    v = verdict(result)
    if not v:
        return "Targets not evaluated (no HTTP measurement)."
    lines = []
    failures = result.get("http_failures") or {}
    if failures:
        n = sum(len(f) for f in failures.values())
        lines.append(
            f"- **{n} HTTP request(s) failed** (counted with their time until the failure): "
            + "; ".join(f"{label}: {', '.join(sorted(set(f)))}" for label, f in failures.items())
        )
    p95 = result["http"]["all"]["p95"]
    mark = "met" if v["p95_ok"] else "**not met**"
    scope = "" if result["vendor"] == "postgresql" else " (the target is set for PostgreSQL)"
    lines.append(f"- p95 over HTTP ≤ {TARGET_P95_MS:.0f} ms: {p95:.1f} ms, {mark}{scope}")
    mark = "met" if v["ratio_ok"] else "**not met**"
    lines.append(
        f"- HTTP ≤ {TARGET_RATIO:.0f}× raw SQL (p95): {v['ratio_p95']:.1f}×, {mark} "
        f"(p50: {v['ratio_p50']:.1f}×)"
    )
    return "\n".join(lines)


def per_query_table(result: dict) -> str:
    rows = [
        "| query | found | SQL stmts | in-process p50 | HTTP p50 | HTTP p95 | raw SQL p50 |",
        "|---|--:|--:|--:|--:|--:|--:|",
    ]
    for label, query in result["queries"]:
        d = result["details"][label]
        ip = result.get("inprocess", {}).get("per_query", {}).get(label, {})
        ht = result.get("http", {}).get("per_query", {}).get(label, {})
        rs = result.get("raw_sql", {}).get("per_query", {}).get(label, {})
        shown = query.replace("|", "%7C") or "(none)"
        rows.append(
            f"| `{shown}` | {d['count']:,} | {d['request_statements']} | "
            f"{_ms(ip.get('p50'))} | {_ms(ht.get('p50'))} | {_ms(ht.get('p95'))} | "
            f"{_ms(rs.get('p50'))} |"
        )
    return "\n".join(rows)


def _load(result: dict) -> str:
    before, after = result.get("load_before"), result.get("load_after")
    if not before or not after:
        return ""
    text = (
        f"Load average (1 min) {before[0]:.1f} before and {after[0]:.1f} after the "
        f"measurement, on {os.cpu_count()} CPUs."
    )
    if max(before[0], after[0]) > (os.cpu_count() or 1):
        text += (
            " **The machine was busy with other work during this run, so these figures "
            "overstate the times of an idle machine; rerun `make bench` on a quiet one.**"
        )
    return text


def _calibration(result: dict) -> str:
    c = result.get("calibration")
    if not c:
        return ""
    return (
        f"Machine speed (best of 3, for comparing runs): a Python loop of 5,000,000 "
        f"additions {c['python_loop_ms']:.0f} ms; `{c['sql']}` {c['database_ms']:.0f} ms."
    )


def console(result: dict) -> str:
    name = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}.get(result["vendor"], "?")
    return (
        f"\n== {name} ==\n{table(result)}\n{targets(result)}\n{_load(result)}\n"
        f"{_calibration(result)}\n"
    )


def section(results: list[dict], *, runs: int, warmup: int, when: dt.datetime) -> str:
    m = machine()
    first = results[0]
    versions = {}
    for r in results:
        versions.update(r.get("versions", {}))
    lines = [
        START,
        "## Agenda search",
        "",
        f"Run on {when:%Y-%m-%d %H:%M} UTC. Machine: {m['cpus']} CPUs ({m['cpu']}), "
        f"{m['memory_gib']} GiB memory, Linux {m['kernel']}. "
        + ", ".join(f"{k} {v}" for k, v in sorted(versions.items()))
        + ".",
        "",
        f"Data: {first['sizes']['activities']:,} activities with "
        f"{first['sizes']['sessions']:,} sessions, ~{first['build']['organisations']} "
        "organisations, spread over the Flemish municipalities (fixed seed "
        f"{first['build']['seed']}, base date {first['build']['base_date']}; status: "
        + ", ".join(f"{k} {v:,}" for k, v in first["sizes"]["by_status"].items())
        + ").",
        "",
        f"Method: {len(first['queries'])} fixed searches (text, age, distance, dates, facets; "
        "first and deeper pages), run round-robin (every query once per round) after "
        "untimed warm-up rounds; each figure pools every timed request of the mix (rounds "
        "per database below). *In-process* parses the query and runs "
        "`search.run` (count, page, facets), after warm-up freezing the loaded objects "
        "out of the garbage collector as each server worker does (`stemnet/wsgi.py`). "
        "*HTTP* is `GET /api/v1/activities?…` "
        "against `gunicorn stemnet.wsgi` (sync workers, `DEBUG=0`), sequential, httpx, "
        "same machine. *Raw SQL* replays the statements the API request issued (recorded "
        "in-process with `connection.execute_wrapper`) on a plain cursor with fetchall, "
        "timing their sum. Targets: p95 over HTTP ≤ 50 ms on PostgreSQL, and ≤ 3× raw SQL.",
        "",
    ]
    for r in results:
        name = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}.get(r["vendor"], r["vendor"])
        build = r["build"]
        secs = build.get("seconds", {})
        lines += [
            f"### {name}",
            "",
            f"Build: {secs.get('total', 0):.0f} s (rows {secs.get('rows', 0):.0f} s, "
            f"search reindex {secs.get('reindex', 0):.0f} s)"
            + (", reused from an earlier run" if build.get("cached") else "")
            + f"; database size {r['sizes']['db_bytes'] / 1024 / 1024:.0f} MiB. "
            + f"Rounds: {r.get('warmup', warmup)} warm-up, {r.get('runs', runs)} timed. "
            + _load(r)
            + (" " + _calibration(r) if r.get("calibration") else ""),
            "",
            table(r),
            "",
            targets(r),
            "",
            "<details><summary>Per query</summary>",
            "",
            per_query_table(r),
            "",
            "</details>",
            "",
        ]
    lines.append(END)
    return "\n".join(lines)


def write_section(path: Path, text: str) -> None:
    """Replace the agenda section of ``path`` (or append it), keeping everything else."""
    current = path.read_text(encoding="utf-8") if path.exists() else HEADER
    pattern = re.compile(re.escape(START) + r".*?" + re.escape(END), re.DOTALL)
    if pattern.search(current):
        new = pattern.sub(lambda _m: text, current)
    else:
        new = current.rstrip("\n") + "\n\n" + text + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(new, encoding="utf-8")
