import datetime as dt
import random
import re
from io import StringIO
from pathlib import Path

import pytest
import time_machine
from django.conf import settings as django_settings
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import translation

from stemnet.portal import demo, services
from stemnet.portal.models import ContactMessage, NewsArticle
from stemnet.portal.tasks import contact_message_send
from stemnet.portal.tests.factories import ContactMessageFactory

pytestmark = pytest.mark.django_db

BRUSSELS = dt.timezone(dt.timedelta(hours=1))


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def _create(**overrides):
    values = {
        "name": "Jan",
        "email": "jan@example.org",
        "subject": "Vraag",
        "message": "Hallo",
        "language": "nl",
        "ip": "198.51.100.7",
    }
    return services.contact_message_create(**{**values, **overrides})


def test_ip_hash_is_keyed_and_stable(settings):
    first = services.ip_hash("198.51.100.7")
    assert first == services.ip_hash("198.51.100.7")
    assert first != services.ip_hash("198.51.100.8")
    assert len(first) == 64 and "198" not in first
    settings.SECRET_KEY = "another-key-for-this-test-0123456789abcdefghijklmnop"
    assert services.ip_hash("198.51.100.7") != first


def test_create_stores_and_mails_on_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        contact = _create(name="  Jan  ", language="xx")
    assert mail.outbox == []  # nothing leaves before the commit
    assert len(callbacks) == 1
    callbacks[0]()
    assert len(mail.outbox) == 1
    assert contact.name == "Jan"
    assert contact.language == "nl"  # unknown languages fall back to Dutch


def test_rate_limit_counts_per_fingerprint_and_expires_after_an_hour(settings):
    settings.CONTACT_RATE_LIMIT_PER_HOUR = 3
    start = dt.datetime(2024, 5, 16, 9, 0, tzinfo=BRUSSELS)
    with time_machine.travel(start, tick=False):
        for _ in range(3):
            _create()
        with pytest.raises(ValidationError) as error:
            _create()
        assert error.value.code == "rate_limited"
        _create(ip="198.51.100.8")
    assert ContactMessage.objects.count() == 4
    with time_machine.travel(start + dt.timedelta(minutes=61), tick=False):
        _create()  # a new hour
    assert ContactMessage.objects.count() == 5


def test_mail_goes_to_the_team_in_dutch_with_reply_to_the_sender(settings):
    settings.CONTACT_EMAIL = "team@example.org"
    contact = ContactMessageFactory(
        name="Sara", email="sara@example.org", subject="Summer camp", language="en"
    )
    with translation.override("en"):
        services.contact_message_mail(contact=contact)
    sent = mail.outbox[0]
    assert sent.to == ["team@example.org"]
    assert sent.reply_to == ["sara@example.org"]
    assert sent.subject == "[STEMnet contact] Summer camp"
    assert "Via het contactformulier van STEMnet kwam een bericht binnen van Sara" in sent.body
    assert "Engels" in sent.body  # the sender's language, named in Dutch
    assert f"/admin/portal/contactmessage/{contact.pk}/change/" in sent.body


def test_task_sends_nothing_for_a_purged_message():
    contact = ContactMessageFactory()
    pk = contact.pk
    contact.delete()
    contact_message_send.call(message_id=pk)
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("now", "cutoff"),
    [
        (
            dt.datetime(2025, 3, 15, 8, 30, tzinfo=BRUSSELS),
            dt.datetime(2024, 3, 15, 8, 30, tzinfo=BRUSSELS),
        ),
        (
            dt.datetime(2024, 2, 29, 12, 0, tzinfo=BRUSSELS),
            dt.datetime(2023, 2, 28, 12, 0, tzinfo=BRUSSELS),
        ),
    ],
)
def test_retention_cutoff_is_twelve_months_earlier(now, cutoff):
    assert services.retention_cutoff(now) == cutoff


def test_purge_command_deletes_messages_older_than_twelve_months():
    now = dt.datetime(2025, 3, 15, 12, 0, tzinfo=BRUSSELS)
    old = ContactMessageFactory(created_at=now - dt.timedelta(days=366))
    keep = ContactMessageFactory(created_at=now - dt.timedelta(days=364))
    with time_machine.travel(now, tick=False):
        out = StringIO()
        call_command("purge_contact_messages", "--dry-run", stdout=out)
        assert "Would delete 1 " in out.getvalue()
        assert ContactMessage.objects.count() == 2
        call_command("purge_contact_messages", stdout=out)
    assert "Deleted 1 " in out.getvalue()
    assert list(ContactMessage.objects.all()) == [keep]
    assert not ContactMessage.objects.filter(pk=old.pk).exists()


def test_seed_news_is_idempotent_and_bilingual():
    assert demo.seed_news(random.Random(1)) == 6
    assert demo.seed_news(random.Random(2)) == 6
    articles = NewsArticle.objects.all()
    assert articles.count() == 6
    for article in articles:
        assert article.is_demo
        for field in ("title", "summary", "body"):
            assert getattr(article, f"{field}_nl")
            assert getattr(article, f"{field}_en")
            assert getattr(article, f"{field}_nl") != getattr(article, f"{field}_en")
        assert article.is_published


def test_seed_news_updates_an_edited_demo_article():
    demo.seed_news(random.Random(1))
    article = NewsArticle.objects.get(slug="zeven-nieuwe-stem-partnerschappen")
    article.title_nl = "Gewijzigd"
    article.save()
    demo.seed_news(random.Random(1))
    article.refresh_from_db()
    assert article.title_nl.startswith("Zeven nieuwe STEM-partnerschappen")


def test_demo_articles_do_not_copy_seed_sentences():
    """No sentence of the seed documents appears word for word in a demo article."""
    candidates = [
        Path(django_settings.BASE_DIR).parent / "shared" / "seeds",
        Path("/work/shared/seeds"),
    ]
    seeds = next((path for path in candidates if path.is_dir()), None)
    if seeds is None:
        pytest.skip("the seed documents (shared/seeds) are not next to the project here")
    sentences = {
        s.strip()
        for path in seeds.glob("*.txt")
        for s in re.split(r"(?<=[.!?])\s+", path.read_text(encoding="utf-8"))
        if len(s.strip()) > 40
    }
    texts = " ".join(
        value for article in demo.ARTICLES for key, value in article.items() if key.endswith("_nl")
    )
    assert not [s for s in sentences if s in texts]


def test_an_article_image_needs_a_description():
    from stemnet.portal.tests.factories import NewsArticleFactory

    article = NewsArticleFactory.build(image="news/robot.png", image_alt_nl="")
    with pytest.raises(ValidationError) as error:
        article.full_clean()
    assert "image_alt_nl" in error.value.message_dict
    article.image_alt_nl = "Een meisje bouwt een robot"
    article.full_clean()
