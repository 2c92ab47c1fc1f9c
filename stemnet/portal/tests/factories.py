import datetime as dt

import factory
from django.utils import timezone

from stemnet.portal.models import ContactMessage, NewsArticle


class NewsArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NewsArticle

    slug = factory.Sequence(lambda n: f"nieuws-{n}")
    title_nl = factory.Sequence(lambda n: f"Nieuwsbericht {n}")
    title_en = factory.Sequence(lambda n: f"News article {n}")
    summary_nl = "Een korte samenvatting."
    summary_en = "A short summary."
    body_nl = "Eerste alinea.\n\nTweede alinea."
    body_en = "First paragraph.\n\nSecond paragraph."
    publish_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))


class ContactMessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactMessage

    name = "An Peeters"
    email = factory.Sequence(lambda n: f"sender{n}@example.org")
    subject = "Vraag over een academie"
    message = "Waar vind ik een STEM-academie in Mechelen?"
    language = "nl"
