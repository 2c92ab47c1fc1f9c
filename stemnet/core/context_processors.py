from django.conf import settings
from django.db import DatabaseError
from django.urls import translate_url

from stemnet.core.selectors import demo_data_loaded


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
        "DEMO_DATA": _demo_data_loaded(),
        "language_links": language_links,
    }


def _demo_data_loaded() -> bool:
    """The error page must render even when the database is what failed."""
    try:
        return demo_data_loaded()
    except DatabaseError:
        return False
