import datetime as dt

import pytest
import time_machine
from django.http import Http404

from stemnet.organisations.models import Organisation
from stemnet.organisations.tests.factories import OrganisationFactory, municipality
from stemnet.places.models import Municipality
from stemnet.portal import selectors
from stemnet.portal.tests.factories import ContactMessageFactory, NewsArticleFactory

pytestmark = pytest.mark.django_db

BRUSSELS = dt.timezone(dt.timedelta(hours=1))


def test_key_figures_on_an_empty_directory():
    figures = selectors.key_figures()
    assert figures.academies == 0
    assert figures.municipalities_with_academy == 0
    assert figures.partnerships == 0
    assert figures.municipalities_total == 304  # 285 Flemish + 19 Brussels since 2025


def test_key_figures_count_active_academies_and_their_municipalities():
    mechelen, leuven, gent, brugge = (municipality(c) for c in ("12025", "24062", "44021", "31005"))
    a1 = OrganisationFactory(municipality=mechelen)
    a1.municipalities_served.set([mechelen, leuven])  # Mechelen counted once
    OrganisationFactory(municipality=gent)
    a3 = OrganisationFactory(municipality=None, postcode="")
    a3.municipalities_served.set([leuven])  # only served, no address
    # Not counted: inactive academy, a school, a partnership (as academies/municipalities).
    OrganisationFactory(municipality=brugge, is_active=False)
    OrganisationFactory(municipality=brugge, type=Organisation.Type.SCHOOL)
    OrganisationFactory(municipality=brugge, type=Organisation.Type.PARTNERSHIP)
    OrganisationFactory(municipality=brugge, type=Organisation.Type.PARTNERSHIP)
    OrganisationFactory(type=Organisation.Type.PARTNERSHIP, is_active=False)

    figures = selectors.key_figures()

    assert figures.academies == 3
    assert figures.municipalities_with_academy == 3  # Mechelen, Leuven, Gent
    assert figures.partnerships == 2


def test_key_figures_count_an_old_municipality_as_the_merged_one():
    """Borsbeek (11007, before 2025) became part of Antwerpen (11002)."""
    borsbeek = Municipality.objects.of_vintage("2019").get(nis_code="11007")
    antwerpen = municipality("11002")
    OrganisationFactory(municipality=borsbeek)
    OrganisationFactory(municipality=antwerpen)

    assert selectors.key_figures().municipalities_with_academy == 1


def test_news_list_shows_only_published_articles_newest_first():
    with time_machine.travel(dt.datetime(2024, 6, 1, 12, 0, tzinfo=BRUSSELS), tick=False):
        old = NewsArticleFactory(publish_at=dt.datetime(2024, 5, 1, 9, tzinfo=BRUSSELS))
        new = NewsArticleFactory(publish_at=dt.datetime(2024, 6, 1, 12, tzinfo=BRUSSELS))
        scheduled = NewsArticleFactory(publish_at=dt.datetime(2024, 6, 1, 12, 1, tzinfo=BRUSSELS))
        assert list(selectors.news_list()) == [new, old]
        assert list(selectors.news_list(limit=1)) == [new]
        with pytest.raises(Http404):
            selectors.news_get(scheduled.slug)

    with time_machine.travel(dt.datetime(2024, 6, 1, 12, 1, tzinfo=BRUSSELS), tick=False):
        assert list(selectors.news_list()) == [scheduled, new, old]
        assert selectors.news_get(scheduled.slug) == scheduled


def test_news_get_unknown_slug_is_404():
    with pytest.raises(Http404):
        selectors.news_get("bestaat-niet")


def test_vendored_libraries_come_from_versions_md():
    libraries = {lib.package: lib for lib in selectors.vendored_libraries()}
    assert libraries["htmx.org (npm)"].version == "2.0.11"
    assert libraries["htmx.org (npm)"].licence == "0BSD"
    assert libraries["leaflet (npm)"].version == "1.9.4"
    assert libraries["leaflet (npm)"].licence == "BSD-2-Clause"
    assert len(libraries) == 2  # the header and separator rows are skipped


def test_contact_messages_of_person_matches_the_e_mail_address():
    from stemnet.accounts.tests.factories import UserFactory

    user = UserFactory(email="an@example.org")
    mine = ContactMessageFactory(email="An@Example.org", subject="Mijn vraag")
    ContactMessageFactory(email="someone.else@example.org")

    data = selectors.contact_messages_of_person(user)

    assert [d["subject"] for d in data] == ["Mijn vraag"]
    assert data[0]["received"] == mine.created_at


def test_contact_messages_are_registered_for_the_data_export():
    from stemnet.accounts import personal_data
    from stemnet.accounts.tests.factories import UserFactory

    user = UserFactory()
    ContactMessageFactory(email=user.email)
    assert "contact_messages" in personal_data.labels()
    assert len(personal_data.collect(user)["contact_messages"]) == 1
