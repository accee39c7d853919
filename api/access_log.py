"""The access log without query strings: they may hold secrets (`?access_token=…`)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

ACCESS_LOGGER = "uvicorn.access"


class DropQueryStrings(logging.Filter):
    """Give uvicorn's access log the path without its query string.

    >>> record = logging.LogRecord("uvicorn.access", logging.INFO, "", 0, '%s - "%s %s HTTP/%s" %d',
    ...                            ("127.0.0.1:5", "GET", "/sparql?token=x", "1.1", 200), None)
    >>> DropQueryStrings().filter(record), record.getMessage()
    (True, '127.0.0.1:5 - "GET /sparql HTTP/1.1" 200')
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and len(record.args) >= 3 and isinstance(record.args[2], str):
            record.args = record.args[:2] + (record.args[2].split("?", 1)[0],) + record.args[3:]
        return True


@contextmanager
def query_strings_dropped() -> Iterator[None]:
    """Filter the access log while an app runs, and only then."""
    access_filter = DropQueryStrings()
    logging.getLogger(ACCESS_LOGGER).addFilter(access_filter)
    try:
        yield
    finally:
        logging.getLogger(ACCESS_LOGGER).removeFilter(access_filter)
