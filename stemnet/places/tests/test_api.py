import pytest

pytestmark = pytest.mark.django_db


def test_postcode_2800(client):
    response = client.get("/api/v1/places/postcodes/2800")
    assert response.status_code == 200
    assert response.json() == {
        "postcode": "2800",
        "municipalities": [{"nis_code": "12025", "name": "Mechelen", "province": "Antwerpen"}],
        "localities": ["Mechelen", "Walem"],
        "lat": pytest.approx(51.0464),
        "lon": pytest.approx(4.468),
    }


def test_postcode_shared_by_two_municipalities(client):
    data = client.get("/api/v1/places/postcodes/1804").json()
    assert [m["name"] for m in data["municipalities"]] == ["Vilvoorde", "Zemst"]
    brussels = client.get("/api/v1/places/postcodes/1040").json()
    assert [m["nis_code"] for m in brussels["municipalities"]] == ["21004", "21005"]
    assert brussels["municipalities"][0]["province"] is None


def test_unknown_postcode_is_404_with_reason(client):
    response = client.get("/api/v1/places/postcodes/9999")
    assert response.status_code == 404
    assert "9999" in response.json()["detail"]
    assert client.get("/api/v1/places/postcodes/5000").status_code == 404  # Wallonia


@pytest.mark.parametrize("code", ["280", "28000", "abcd", "28a0"])
def test_malformed_postcode_is_422(client, code):
    response = client.get(f"/api/v1/places/postcodes/{code}")
    assert response.status_code == 422
    assert "2800" in response.json()["detail"]  # the reason shows an example


def test_municipalities_2025_of_a_province(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        response = client.get("/api/v1/places/municipalities?vintage=2025&province=Antwerpen")
    assert response.status_code == 200
    data = response.json()
    assert len(data) == 67
    mechelen = next(m for m in data if m["nis_code"] == "12025")
    assert mechelen == {
        "nis_code": "12025",
        "name_nl": "Mechelen",
        "name_fr": "Malines",
        "vintage": "2025",
        "province": "Antwerpen",
        "region": "Vlaams Gewest",
        "region_nis": "02000",
        "lat": 51.02866,
        "lon": 4.45023,
        "population_2020": 86921,
        "merged_2025": False,
        "successor": None,
    }


def test_municipalities_2019_have_their_successor(client):
    data = client.get("/api/v1/places/municipalities?vintage=2019").json()
    assert len(data) == 319
    borsbeek = next(m for m in data if m["nis_code"] == "11007")
    assert (borsbeek["name_nl"], borsbeek["successor"]) == ("Borsbeek", "11002")
    assert all(m["successor"] for m in data)


def test_default_is_the_current_set(client):
    assert len(client.get("/api/v1/places/municipalities").json()) == 304


def test_bad_filters_are_422(client):
    assert client.get("/api/v1/places/municipalities?vintage=2018").status_code == 422
    response = client.get("/api/v1/places/municipalities?province=Namen")
    assert response.status_code == 422
    assert "Namen" in response.json()["detail"]
