"""Small-cell suppression of public figures, with secondary suppression (issue 12)."""

import re

import pytest
from django.urls import reverse

from stemnet.reach import disclosure
from stemnet.reach.tests.factories import ParticipationFactory, municipality_of, vlaio_user

URL = "/api/v1/reach/summary"


def test_suppress_hides_small_cells_and_one_complement():
    assert disclosure.suppress({"a": 0, "b": 7, "c": 12}, 5) == {}
    assert disclosure.suppress({"a": 1, "b": 7, "c": 12}, 5) == {
        "a": disclosure.SMALL,
        "b": disclosure.COMPLEMENT,
    }
    # Two small cells already protect each other: no complement.
    assert disclosure.suppress({"a": 1, "b": 4, "c": 12}, 5) == {
        "a": disclosure.SMALL,
        "b": disclosure.SMALL,
    }
    # 5 is shown: the limit is "under 5".
    assert disclosure.suppress({"a": 5, "b": 0}, 5) == {}
    assert disclosure.display(3, disclosure.SMALL, 5) == "< 5"
    assert disclosure.display(12, disclosure.COMPLEMENT, 5) == "×"
    assert disclosure.display(0, None, 5) == "0"


def _summary(**counts):
    base = dict.fromkeys(
        ["participants", "girls", "boys", "gender_x", "gender_unknown", "attendances", "uitpas"], 0
    )
    base.update(counts, girls_share=None)
    return base


def test_public_summary_no_hidden_count_can_be_recovered_from_the_total():
    out = disclosure.public_summary(
        _summary(participants=30, girls=12, boys=17, gender_x=1, uitpas=2, attendances=90), 5
    )
    assert out["suppressed"] == ["gender_x", "girls", "uitpas"]
    assert out["gender_x"] is None and out["girls"] is None and out["uitpas"] is None
    assert out["girls_share"] is None
    # What is left cannot give gender x back: total - shown = girls + x, split unknown.
    assert out["participants"] == 30 and out["boys"] == 17 and out["gender_unknown"] == 0
    # A small group of all-but-girls would be given away by the share.
    out = disclosure.public_summary(_summary(participants=30, girls=27, boys=3), 5)
    assert out["girls_share"] is None and out["boys"] is None
    out = disclosure.public_summary(_summary(participants=3, boys=3, attendances=3), 5)
    assert out["participants"] is None and out["boys"] is None and out["attendances"] is None


def _cell(html: str, name: str) -> str:
    match = re.search(
        rf'<th scope="row">{re.escape(name)}</th><td>[^<]*</td><td class="num">([^<]*)</td>', html
    )
    assert match, name
    return match.group(1).replace("&lt;", "<")


def _province(html: str, name: str) -> str:
    cells = '<td class="num">[^<]*</td><td class="num">([^<]*)</td>'
    match = re.search(rf'<th scope="row">{re.escape(name)}</th>{cells}', html)
    assert match, name
    return match.group(1).replace("&lt;", "<")


@pytest.mark.django_db
def test_public_page_hides_small_cells_and_their_complements(client):
    ParticipationFactory(participants=3, girls=1)  # Mechelen
    ParticipationFactory(municipality=municipality_of("11002"), participants=10, girls=5)
    ParticipationFactory(municipality=municipality_of("12021"), participants=20, girls=9)
    ParticipationFactory(municipality=municipality_of("44021"), participants=25, girls=10)
    ParticipationFactory(municipality=municipality_of("71022"), participants=2, girls=1)
    page = client.get(reverse("reach:public_figures"), {"year": 2020})
    html = page.content.decode()
    # Municipalities of Antwerpen (province 33 shown): Mechelen small, Antwerpen complement.
    assert _cell(html, "Mechelen") == "< 5"
    assert _cell(html, "Antwerpen") == "×"
    assert _cell(html, "Lier") == "20"
    assert _province(html, "Antwerpen") == "33"
    # Provinces (total 60 shown): Limburg small, the smallest other province its complement,
    # and one of that province's municipalities so they cannot add up to it.
    assert _province(html, "Limburg") == "< 5"
    assert _province(html, "Oost-Vlaanderen") == "×"
    assert _cell(html, "Gent") == "×"
    assert _cell(html, "Hasselt") == "< 5"
    assert "<strong>60</strong>" in html
    assert 'id="small-cell-note"' in html and "“&lt; 5”" in html
    # The map labels say the same, never the exact small count.
    labels = {v["label"] for v in page.context["map"]["values"].values()}
    assert "bereikt, < 5 deelnemers" in labels and "bereikt, × deelnemers" in labels
    assert not {"bereikt, 3 deelnemers", "bereikt, 2 deelnemers"} & labels

    # Staff keep exact numbers.
    client.force_login(vlaio_user())
    page = client.get(reverse("reach:dashboard"), {"year": 2020})
    rows = {r["name"]: r["participants"] for r in page.context["municipality_rows"]}
    assert rows["Mechelen"] == 3 and rows["Hasselt"] == 2


@pytest.mark.django_db
def test_public_api_hides_small_cells(client, settings):
    ParticipationFactory(participants=30, girls=12, boys=17, gender_x=1)
    data = client.get(URL, {"year": 2020}).json()
    assert data["small_cell"] == 5
    assert data["gender_x"] is None and data["girls"] is None
    assert data["suppressed"] == ["gender_x", "girls"]
    assert (data["participants"], data["boys"], data["gender_unknown"]) == (30, 17, 0)
    settings.REACH_SMALL_CELL = 1  # the limit is a setting: 1 hides nothing
    data = client.get(URL, {"year": 2020}).json()
    assert (data["gender_x"], data["girls"], data["suppressed"]) == (1, 12, [])
