"""Editor-owned texts in Dutch and English (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from stemnet.portal.models import NewsArticle


@register(NewsArticle)
class NewsArticleTranslationOptions(TranslationOptions):
    fields = ("title", "summary", "body", "image_alt")
    required_languages = {"nl": ("title", "summary", "body")}
