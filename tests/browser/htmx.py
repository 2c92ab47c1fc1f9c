"""Wait until HTMX has nothing in flight: no request, swap or settle under way.

Clicking a link while an HTMX response with ``hx-push-url`` is still pending lets that
response's ``history.pushState`` cancel the navigation; tests wait for quiet first.
"""

QUIET = """() => !document.querySelector(
    '.htmx-request, .htmx-swapping, .htmx-settling, .htmx-added'
)"""


def wait_for_htmx(page, timeout: float = 10_000) -> None:
    # Give a trigger (change, delayed input) a moment to start its request, then wait.
    page.wait_for_timeout(50)
    page.wait_for_function(QUIET, timeout=timeout)
