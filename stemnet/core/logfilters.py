"""Logging filters used by ``settings.LOGGING``."""

import logging


class OneLineForbidden(logging.Filter):
    """A refused request (403) is logged as one line: who was refused what is an everyday
    event, not an error, and its traceback buried the real errors in the log."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 403:
            record.exc_info = None
            record.exc_text = None
            record.stack_info = None
        return True
