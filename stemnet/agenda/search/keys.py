"""The key format of the search bitmaps: the one place that knows how a key is spelt.

A key names one filter value ("kind:kamp", "age:10", "muni:312", "day:2026-12-05", ...);
its bitmap holds the activities whose search entry has that value (``entry_keys``). On
PostgreSQL the words of the full-text index have keys too: "word:<lexeme>" for each lexeme
of an entry's ``SearchText.search_vector``, "wtitle:<lexeme>" for those of its
``title_vector`` and "wtwice:<lexeme>" for those its title holds more than once.

A stored bitmap's name is "<generation>|<key>" (``stored_prefix``): searches read the
generation ``SearchGeneration.current`` names (``PREFIX_SQL``), a rebuild writes the next
one beside it (``agenda.search.store``).

Keys are read by range (``VALUE_RANGES``, "day:a".."day:b", a word's prefix range), so the
order of their spelling matters: PostgreSQL compares them byte by byte (collation "C").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils import timezone

from stemnet.agenda.search.codec import set_bits

ALL = "all"
# The prefixes of the words' keys; all sort after every value key ("uitpas" is the last).
WORD = "word:"
TITLE_WORD = "wtitle:"
TITLE_TWICE = "wtwice:"  # the lexeme is in the title more than once
# The end of a range of keys with one prefix: after every character a lexeme can hold.
AFTER = "\U0010ffff"
# The flag filters and their keys.
FLAG_KEYS = {"free": "free", "uitpas": "uitpas", "places_left": "places"}
# The key prefix of each vocabulary's terms ("theme:<bit>"; the bit is the term's ``bit``).
BIT_KEYS = {"domain": "domain", "theme": "theme", "accessibility": "access"}
# Every key but the dates' ("day:…", "first:…", "last:…") and the words', as (first, last)
# ranges: "access:…" to "all", "domain:…", "free" to "kind:…", "muni:…" to "uitpas".
VALUE_RANGES = (("a", ALL), ("domain:", "domain;"), ("free", "kind;"), ("muni:", "uitpas"))
# The whole range of one date prefix ("day:" to "day;").
DAYS = ("day:", "day;")
FIRST_DAYS = ("first:", "first;")
LAST_END = "last;"


def value_key(name: str, value) -> str:
    """The key of one value of a filter: ``value_key("kind", "kamp")`` → "kind:kamp";
    provinces are "place:<code>", municipalities "muni:<pk>", ages "age:<n>", vocabulary
    terms "<prefix>:<bit>" (``BIT_KEYS``)."""
    if name == "province":
        return f"place:{int(value)}"
    if name == "municipality":
        return f"muni:{value}"
    return f"{BIT_KEYS.get(name, name)}:{value}"


def _entry_values(entry) -> set[str]:
    """The value keys of a SearchEntry (not its dates or words)."""
    keys = {
        ALL,
        value_key("kind", entry.kind),
        value_key("source", entry.source),
        value_key("province", entry.place),
        value_key("municipality", entry.municipality_id),
        price_key(entry.price_cents),
    }
    keys.update(value_key("age", age) for age in range(entry.age_min, entry.age_max + 1))
    for name, bits in (
        ("domain", entry.domain_bits),
        ("theme", entry.theme_bits),
        ("accessibility", entry.access_bits),
    ):
        keys.update(value_key(name, bit) for bit in set_bits(bits))
    for flag, key in (("free", "free"), ("uitpas", "uitpas"), ("has_places", "places")):
        if getattr(entry, flag):
            keys.add(key)
    return keys


def day_key(prefix: str, day: dt.date) -> str:
    """ "day:2026-12-05" (a session touches that day), "first:…" or "last:…" (the first
    session starts, the last one ends that day)."""
    return f"{prefix}:{day.isoformat()}"


def price_key(cents: int) -> str:
    """Zero-padded, so the keys of the prices up to a maximum form one range."""
    return f"price:{cents:09d}"


def word_range(prefix: str, lexeme: str, *, starts: bool) -> tuple[str, str]:
    """The (first, last) keys of one word of a text query: the lexeme itself, or with
    ``starts`` every lexeme that starts with it (a tsquery's ``'progr':*``)."""
    key = prefix + lexeme
    return (key, key + AFTER) if starts else (key, key)


def entry_keys(
    entry,
    sessions: Iterable[tuple[dt.datetime, dt.datetime]],
    words: Iterable[str] = (),
    title_words: Iterable[str] = (),
    title_twice: Iterable[str] = (),
) -> set[str]:
    """Every key whose bitmap holds this SearchEntry, given its sessions (start, end) and,
    on PostgreSQL, the lexemes of its text, of its title and those its title holds more
    than once.

    A session touches each day from its start's to its end's (local time, both included),
    so an activity has a session in the days ``a``..``b`` exactly when its bit is in one of
    the bitmaps ``day:a``..``day:b``; ``first:<day>`` is the day its first session starts
    (a page in date order starts from these), ``last:<day>`` the day its last one ends.
    """
    keys = _entry_values(entry)
    keys.add(day_key("first", timezone.localtime(entry.first_start).date()))
    keys.add(day_key("last", timezone.localtime(entry.last_end).date()))
    for starts_at, ends_at in sessions:
        first = timezone.localtime(starts_at).date()
        last = timezone.localtime(ends_at).date()
        for n in range((last - first).days + 1):
            keys.add(day_key("day", first + dt.timedelta(days=n)))
    keys.update(WORD + w for w in words)
    keys.update(TITLE_WORD + w for w in title_words)
    keys.update(TITLE_TWICE + w for w in title_twice)
    return keys


# --- stored names: "<generation>|<key>" -----------------------------------------------------

SEPARATOR = "|"
# The prefix of the generation searches read, in SQL (in the same statement as the read).
# Without the row (a database flushed by a test, say), generation 1.
PREFIX_SQL = (
    "(COALESCE((SELECT CAST(current AS TEXT) FROM agenda_searchgeneration WHERE id = 1), '1')"
    " || '|')"
)


def stored_prefix(generation: int) -> str:
    """The prefix of a generation's stored names ("3|")."""
    return f"{generation}{SEPARATOR}"


def key_of(name: str) -> str:
    """The key of a stored name ("3|kind:kamp" → "kind:kamp")."""
    return name.partition(SEPARATOR)[2]


def after(prefix: str) -> str:
    """The first name after every name with this prefix."""
    return prefix + AFTER
