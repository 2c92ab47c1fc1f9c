import json

import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory
from django.urls import reverse

from stemnet.accounts.tests.factories import UserFactory, activate_totp
from stemnet.places.models import Municipality, PopulationCount, Postcode, Province, Region

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("vintage", "features"), [("2019", 319), ("2025", 304)])
def test_boundaries_geojson(client, vintage, features, django_assert_max_num_queries):
    url = reverse("places:boundaries", kwargs={"vintage": vintage})
    assert url == f"/plaatsen/grenzen/{vintage}.geojson"
    with django_assert_max_num_queries(2):
        response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/geo+json")
    assert "max-age=86400" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["type"] == "FeatureCollection"
    assert len(data["features"]) == features
    assert "Statbel" in data["attribution"]
    for feature in data["features"]:
        assert feature["geometry"]["type"] in {"Polygon", "MultiPolygon"}
    # Served from the cache the second time: no query at all.
    with django_assert_max_num_queries(0):
        assert client.get(url).content == response.content


def test_boundaries_2019_name_their_successor(client):
    data = json.loads(client.get("/plaatsen/grenzen/2019.geojson").content)
    borsbeek = next(f for f in data["features"] if f["id"] == "11007")
    assert borsbeek["properties"]["successor_nis"] == "11002"


def test_unknown_set_is_404(client):
    assert client.get("/plaatsen/grenzen/2018.geojson").status_code == 404


MODELS = [Region, Province, Municipality, Postcode, PopulationCount]


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_only_superusers_edit_reference_data(model):
    model_admin = site._registry[model]
    staff = UserFactory(is_staff=True)
    request = RequestFactory().get("/")
    request.user = staff
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
    request.user = UserFactory(is_staff=True, is_superuser=True)
    assert model_admin.has_add_permission(request)
    assert model_admin.has_change_permission(request)
    assert model_admin.has_delete_permission(request)


def test_municipality_admin_hides_the_boundary():
    request = RequestFactory().get("/")
    request.user = UserFactory(is_staff=True, is_superuser=True)
    form = site._registry[Municipality].get_form(request)
    assert "boundary" not in form.base_fields


def test_admin_pages_for_a_superuser(client, django_assert_max_num_queries):
    admin = UserFactory(is_staff=True, is_superuser=True)
    activate_totp(admin)
    client.force_login(admin)
    with django_assert_max_num_queries(12):
        response = client.get("/admin/places/municipality/?vintage=2019")
    assert response.status_code == 200
    assert "Borsbeek" in response.content.decode()
    mechelen = Municipality.objects.current().get(nis_code="12025")
    response = client.get(f"/admin/places/municipality/{mechelen.pk}/change/")
    assert response.status_code == 200
    assert client.get("/admin/places/postcode/?q=2800").status_code == 200
    assert client.get("/admin/places/populationcount/").status_code == 200
