"""Putting a person in their preferred language: URL prefix plus language cookie."""

from django.conf import settings
from django.http import HttpResponse
from django.urls import translate_url


def url_in_language(url: str, language: str) -> str:
    """``url`` with the language prefix of ``language`` (unchanged if it cannot be resolved)."""
    if language not in dict(settings.LANGUAGES):
        return url
    return translate_url(url, language)


def set_language_cookie(response: HttpResponse, language: str) -> HttpResponse:
    if language in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    return response
