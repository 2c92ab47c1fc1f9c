"""The site's URLs plus a view that fails (for test_error_pages)."""

from django.urls import path

from stemnet.urls import handler403, handler404, handler500, urlpatterns  # noqa: F401


def boom(request):
    raise RuntimeError("a bug")


urlpatterns = [path("boom/", boom), *urlpatterns]
