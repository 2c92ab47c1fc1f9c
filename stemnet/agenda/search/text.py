"""Words: how a text and a query become the tokens the full-text indexes hold.

Both engines lower-case and strip accents from text and query, drop Dutch stop words from
the query, AND the terms together and treat the last term as a prefix ("robo" finds
"robotica"). SQLite's FTS5 table holds Snowball Dutch stems made here (``stem_words``);
PostgreSQL's ``dutch`` configuration stems with the same algorithm (``PG_CONFIG``).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

FTS_TABLE = "agenda_activity_fts"
PG_CONFIG = "dutch"
_WORD = re.compile(r"[a-z0-9]+")

# Snowball's Dutch stop-word list (the one PostgreSQL's `dutch` configuration uses), unaccented.
DUTCH_STOP_WORDS = frozenset(
    """
    de en van ik te dat die in een hij het niet zijn is was op aan met als voor had er maar om
    hem dan zou of wat mijn men dit zo door over ze zich bij ook tot je mij uit der daar haar
    naar heb hoe heeft hebben deze u want nog zal me zij nu ge geen omdat iets worden toch al
    waren veel meer doen toen moet ben zonder kan hun dus alles onder ja eens hier wie werd
    altijd doch wordt wezen kunnen ons zelf tegen na reeds wil kon niets uw iemand geweest
    andere
    """.split()  # noqa: SIM905
)


def normalise(text: str) -> str:
    """Lower-case ``text`` and strip its accents ("Robótica" → "robotica")."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


@lru_cache(maxsize=1)
def _stemmer():
    import snowballstemmer

    # "dutch_porter" is the classic Snowball Dutch stemmer, identical to PostgreSQL's.
    return snowballstemmer.stemmer("dutch_porter")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """One word's Dutch stem (cached: a corpus repeats its words, stemming is the slow part)."""
    return _stemmer().stemWord(word)


def stem_words(text: str) -> list[str]:
    """The unaccented, lower-case, Dutch-stemmed words of ``text``, in order."""
    return [stem(w) for w in _WORD.findall(normalise(text))]


def query_words(query: str) -> list[str]:
    """The unaccented, lower-case words of a search query without Dutch stop words."""
    words = _WORD.findall(normalise(query))
    kept = [w for w in words if w not in DUTCH_STOP_WORDS]
    return kept[:12]


# --- the query in each engine's syntax ------------------------------------------------------


def sqlite_match(words: list[str]) -> str:
    """An FTS5 MATCH expression: the stems ANDed, the last as a prefix."""
    terms = [f'"{stem(w)}"' for w in words]
    terms[-1] += "*"
    return " AND ".join(terms)


def pg_tsquery(words: list[str]) -> str:
    """A raw tsquery: the words ANDed, the last as a prefix (``'robo':*``)."""
    terms = [f"'{w}'" for w in words]
    terms[-1] += ":*"
    return " & ".join(terms)
