"""Dutch pages address people with "je" everywhere, never "u"/"uw"."""

import re
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parents[2]  # the stemnet package
FORMAL = re.compile(r"\b(u|uw|uzelf)\b", re.IGNORECASE)


def test_no_formal_address_in_dutch_catalogues():
    found = []
    for path in sorted(ROOT.glob("**/locale/nl/LC_MESSAGES/django.po")):
        for entry in polib.pofile(str(path)):
            for text in [entry.msgstr, *entry.msgstr_plural.values()]:
                if FORMAL.search(text):
                    found.append(f"{path.relative_to(ROOT)}: {text[:80]}")
    assert not found, "\n".join(found)
