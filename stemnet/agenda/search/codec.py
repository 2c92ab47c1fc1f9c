"""Bitmaps as Python integers (bit *n* set: activity *n* is in it), and how they are stored
and sent to PostgreSQL.

A facet count is ``(matches & bitmap).bit_count()``, a few microseconds per value whatever
the number of matches. ``encode``/``decode`` are ``SearchBitmap.bits``; ``within_sql`` and
``packed_ids_and_page`` let one statement keep only the rows of a bitmap and send ids packed.
"""

from __future__ import annotations

import array
import sys
from collections.abc import Iterable

from django.db import connection


def set_bits(value: int) -> list[int]:
    """The positions of the bits set in ``value``, lowest first."""
    out = []
    while value:
        low = value & -value
        out.append(low.bit_length() - 1)
        value ^= low
    return out


def as_bytes(bitmap: int) -> bytes:
    """The bitmap as stored: little-endian bytes, bit *n* in byte n // 8."""
    return bitmap.to_bytes((bitmap.bit_length() + 7) // 8, "little")


def encode(bitmap: int) -> bytes:
    """The bitmap as ``SearchBitmap.bits`` holds it: empty for none; "D" and the bytes of
    ``as_bytes`` when dense; "S" and the ids (4 bytes each, little-endian) when that is
    shorter (a rare word of a late activity, say: a few ids instead of 12 kB)."""
    if not bitmap:
        return b""
    size = (bitmap.bit_length() + 7) // 8
    if bitmap.bit_count() * 4 < size:
        ids = array.array("I", set_bits(bitmap))
        if sys.byteorder != "little":
            ids.byteswap()
        return b"S" + ids.tobytes()
    return b"D" + bitmap.to_bytes(size, "little")


def decode(data) -> int:
    """The bitmap ``encode`` stored."""
    data = bytes(data or b"")
    if not data:
        return 0
    if data[:1] == b"D":
        return int.from_bytes(data[1:], "little")
    if data[:1] != b"S":
        raise ValueError(f"not a stored bitmap: {data[:8]!r}")
    ids = array.array("I")
    ids.frombytes(data[1:])
    if sys.byteorder != "little":
        ids.byteswap()
    return from_ids(ids)


def members(bitmap: int) -> list[int]:
    """The activity ids in a bitmap, in increasing order (bit by bit for a few, else byte by
    byte)."""
    if bitmap.bit_count() < 256:
        return set_bits(bitmap)
    out = []
    for index, byte in enumerate(as_bytes(bitmap)):
        if byte:
            base = index * 8
            out.extend(base + j for j in range(8) if byte >> j & 1)
    return out


def tester(bitmap: int):
    """A function telling whether an activity id is in ``bitmap`` (reads its bytes, so a
    test does not shift the whole integer)."""
    data = as_bytes(bitmap)
    size = len(data)
    return lambda i: i >> 3 < size and bool(data[i >> 3] >> (i & 7) & 1)


def within_sql(column: str, bitmap: int) -> tuple[str, list] | None:
    """PostgreSQL: a condition (SQL, parameters) keeping the rows whose ``column`` (an
    activity id) is in ``bitmap``, so a query sends only those; None on SQLite, which has no
    ``get_bit`` (the caller keeps the right ones in Python in any case)."""
    if connection.vendor != "postgresql":
        return None
    data = as_bytes(bitmap)
    # get_bit fails past the last byte: CASE keeps it in range whatever the order.
    sql = f"CASE WHEN {column} < %s THEN get_bit(%s::bytea, {column}) ELSE 0 END = 1"
    return sql, [len(data) * 8, data]


def unpack_ids(data) -> list[int]:
    """The ids packed by PostgreSQL's ``string_agg(int4send(id), '')``: 4 bytes each,
    big-endian."""
    ids = array.array("i")
    ids.frombytes(bytes(data or b""))
    if sys.byteorder == "little":
        ids.byteswap()
    return ids.tolist()


def packed_ids_and_page(
    with_sql: str,
    params: list,
    *,
    source: str,
    order: str,
    limit: int | None,
    kept: tuple[str, list] | None = None,
    best: tuple[str, list] | None = None,
) -> tuple[list[int], list[int]]:
    """PostgreSQL, one statement: ``with_sql`` (with its ``params``) is a WITH clause that
    defines ``source``, rows with an ``id`` column and the columns ``order`` names. Gives
    every id of ``source`` (those where ``kept`` holds), packed by PostgreSQL into one value,
    and, unless ``limit`` is None, the ids of the first ``limit`` rows in ``order`` (of
    those where ``best`` holds), in that order: only the page is sorted and sent.
    ``kept`` and ``best`` are (SQL condition, parameters)."""
    kept_sql, kept_params = kept or ("TRUE", [])
    sql = (
        f"{with_sql} SELECT -1, string_agg(int4send(id::int4), ''::bytea) "  # noqa: S608
        f"FROM {source} WHERE {kept_sql}"
    )
    params = [*params, *kept_params]
    if limit is not None:
        best_sql, best_params = best or ("TRUE", [])
        sql += (
            f" UNION ALL SELECT ROW_NUMBER() OVER (ORDER BY {order}), int4send(id::int4) "  # noqa: S608
            f"FROM (SELECT * FROM {source} WHERE {best_sql} ORDER BY {order} LIMIT %s) p"
        )
        params += [*best_params, limit]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    ids, ordered = [], []
    for position, data in rows:
        if position < 0:
            ids = unpack_ids(data)
        else:
            ordered.append((position, unpack_ids(data)[0]))
    return ids, [pk for _position, pk in sorted(ordered)]


def from_ids(ids: Iterable[int]) -> int:
    """The bitmap of some activity ids."""
    ids = list(ids)
    if not ids:
        return 0
    buffer = bytearray(max(ids) // 8 + 1)
    for i in ids:
        buffer[i >> 3] |= 1 << (i & 7)
    return int.from_bytes(buffer, "little")
