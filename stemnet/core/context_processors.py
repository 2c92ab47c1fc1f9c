from django.conf import settings
from django.urls import translate_url


def site(request):
    """Site-wide values for every template, including links to this page in each language."""
    path = request.get_full_path()
    language_links = [
        {"code": code, "name": name, "url": translate_url(path, code)}
        for code, name in settings.LANGUAGES
    ]
    return {
        "SITE_URL": settings.SITE_URL,
        "DEBUG": settings.DEBUG,
        "language_links": language_links,
    }
