"""axe-core in the browser: the vendored npm package axe-core, version 4.11.4, unmodified."""

from __future__ import annotations

from pathlib import Path

AXE_VERSION = "4.11.4"
AXE_SCRIPT = Path(__file__).resolve().parent / "vendor" / f"axe-core-{AXE_VERSION}.min.js"
BLOCKING_IMPACTS = {"serious", "critical"}


def axe_violations(page) -> list[dict]:
    """All axe-core violations on the current page."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol, not added as an inline <script>: the
        # site's Content-Security-Policy rightly refuses inline scripts.
        page.evaluate(_axe_source())
    return page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    )


def _axe_source() -> str:
    return AXE_SCRIPT.read_text(encoding="utf-8") + "\n;void 0;"


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        targets = ", ".join(
            " ".join(t) if isinstance(t, list) else str(t)
            for node in v["nodes"]
            for t in node["target"]
        )
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']} → {targets}")
    return "\n".join(lines)


def assert_no_serious_axe_violations(page) -> None:
    blocking = [v for v in axe_violations(page) if v.get("impact") in BLOCKING_IMPACTS]
    assert not blocking, f"axe-core violations on {page.url}:\n{describe(blocking)}"
