"""Set-up of a long-running process: the web server's workers (``stemnet/wsgi.py``) and the
benchmark's in-process runs."""

import gc


def freeze_loaded_objects() -> None:
    """Load the URLconf (and with it every view and the API), then take everything loaded so
    far out of the garbage collector's sight (``gc.freeze``).

    A full collection walks every tracked object: the ~100,000 of a loaded STEMnet took
    50-70 ms on the benchmark machine, a pause that lands on some request every few
    hundred. Frozen objects are never walked (nor, after a fork, copied by it).
    """
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (imports the views)
    gc.collect()
    gc.freeze()
