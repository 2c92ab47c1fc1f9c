"""Reading uploaded files: encodings detected or refused, numbers bounded."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from stemnet.core.tabular import MAX_WHOLE, decode, read_csv, whole_number

ROWS = "naam;gemeente\nCafé Wetenschap;Mechelen\nAcademie Één;Gent\n"


def test_utf8_with_and_without_bom():
    assert decode(ROWS.encode("utf-8")) == (ROWS, "utf-8")
    assert decode(b"\xef\xbb\xbf" + ROWS.encode("utf-8")) == (ROWS, "utf-8")
    assert read_csv(ROWS.encode("utf-8")).notes == []


def test_utf16_with_its_bom():
    assert decode(ROWS.encode("utf-16")) == (ROWS, "utf-16")


def test_clean_windows_1252_is_read_and_said():
    table = read_csv(ROWS.encode("cp1252"))
    assert table[1] == ["Café Wetenschap", "Mechelen"]
    assert table[2] == ["Academie Één", "Gent"]
    with translation.override("en"):
        [note] = read_csv(ROWS.encode("cp1252")).notes
    assert "Windows-1252" in note


def test_utf8_with_one_stray_windows_byte_is_refused_naming_the_line():
    # Line 5 was pasted from a Windows program: "é" as the single byte 0xE9.
    content = ROWS.encode("utf-8") + b"Robotica Brugge;Brugge\n" + b"Caf\xe9;Gent\n"
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        decode(content)
    assert "Line 5" in exc.value.messages[0] and "UTF-8" in exc.value.messages[0]
    with translation.override("nl"), pytest.raises(ValidationError) as exc:
        read_csv(content)
    assert "Regel 5" in exc.value.messages[0]


def test_bytes_that_are_not_windows_1252_either_are_refused():
    # 0x81 is undefined in Windows-1252.
    with pytest.raises(ValidationError) as exc, translation.override("en"):
        decode(b"a;b\n1;2\n\x81;3\n")
    assert "Line 3" in exc.value.messages[0]


@pytest.mark.parametrize(
    ("text", "expected"), [("0", 0), ("12", 12), ("12,0", 12), ("12.0", 12), (" 7 ", 7)]
)
def test_whole_numbers(text, expected):
    assert whole_number(text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Infinity", "finite"),
        ("-inf", "finite"),
        ("NaN", "finite"),
        ("1e308", "between"),
        (str(MAX_WHOLE + 1), "between"),
        ("-1", "between"),
        ("2,5", "whole"),
        ("twaalf", "whole"),
        ("", "whole"),
    ],
)
def test_numbers_refused_with_a_reason(text, reason):
    with translation.override("en"), pytest.raises(ValueError) as exc:
        whole_number(text)
    assert reason in str(exc.value)
