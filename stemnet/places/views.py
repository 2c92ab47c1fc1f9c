"""Plain views of the places app: boundary GeoJSON for maps."""

import json

from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from stemnet.places import selectors
from stemnet.places.models import Municipality
from stemnet.places.services import boundaries_cache_key

BOUNDARIES_CACHE_SECONDS = 60 * 60 * 24


@require_GET
@cache_control(public=True, max_age=BOUNDARIES_CACHE_SECONDS)
def boundaries(request, vintage: str):
    """The simplified municipality boundaries of one set as a GeoJSON FeatureCollection."""
    if vintage not in Municipality.Vintage.values:
        raise Http404
    key = boundaries_cache_key(vintage)
    body = cache.get(key)
    if body is None:
        body = json.dumps(selectors.boundaries_feature_collection(vintage), ensure_ascii=False)
        cache.set(key, body, BOUNDARIES_CACHE_SECONDS)
    return HttpResponse(body, content_type="application/geo+json; charset=utf-8")
