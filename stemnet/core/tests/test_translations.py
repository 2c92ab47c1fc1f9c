"""Dutch comes first: a missing or fuzzy translation silently shows English, so it fails here."""

from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = sorted(ROOT.glob("**/locale/nl/LC_MESSAGES/django.po"))


def test_there_are_catalogues():
    names = {p.parts[-5] for p in CATALOGUES}
    assert {"stemnet", "core", "places", "organisations", "accounts", "portal"} <= names


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: p.parts[-5])
def test_catalogue_is_complete_and_compiled(po_path):
    po = polib.pofile(str(po_path))
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert not untranslated, f"untranslated in {po_path}: {untranslated[:10]}"
    assert not fuzzy, f"fuzzy in {po_path}: {fuzzy[:10]}"
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), f"{mo_path} missing: run `make messages`"
    mo = polib.mofile(str(mo_path))
    compiled = {
        (e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items()))) for e in mo
    }
    for entry in po.translated_entries():
        key = (entry.msgctxt, entry.msgid)
        assert key in compiled, f"{entry.msgid!r} not compiled in {mo_path}: run `make messages`"
        assert compiled[key] == (entry.msgstr, tuple(sorted(entry.msgstr_plural.items()))), (
            f"{entry.msgid!r} compiled differently in {mo_path}: run `make messages`"
        )
