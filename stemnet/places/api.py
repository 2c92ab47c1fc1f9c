"""Places in the JSON API: postcode lookup and the municipality lists (Statbel, CC BY 4.0)."""

import re

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Router, Schema

from stemnet.places import selectors
from stemnet.places.models import Municipality

router = Router(tags=["places"])

POSTCODE = re.compile(r"^\d{4}$")


class PostcodeMunicipalityOut(Schema):
    nis_code: str
    name: str
    province: str | None


class PostcodeOut(Schema):
    postcode: str
    municipalities: list[PostcodeMunicipalityOut]
    localities: list[str]
    lat: float
    lon: float


class MunicipalityDetailOut(Schema):
    nis_code: str
    name_nl: str
    name_fr: str
    vintage: str
    province: str | None
    region: str
    region_nis: str
    lat: float
    lon: float
    population_2020: int | None
    merged_2025: bool
    successor: str | None = None


@router.get(
    "/postcodes/{code}",
    response=PostcodeOut,
    summary="The municipality (or two) and localities of a Flemish or Brussels postcode",
)
def postcode_detail(request, code: str):
    code = code.strip()
    if not POSTCODE.match(code):
        raise ValidationError(_("A Belgian postcode has four digits, like 2800."))
    municipalities = selectors.municipalities_for_postcode(code)
    point = selectors.point_for_postcode(code)
    if not municipalities or point is None:
        raise Http404(
            _("Unknown postcode %(code)s: it is not a postcode in Flanders or Brussels.")
            % {"code": code}
        )
    return {
        "postcode": code,
        "municipalities": [
            {
                "nis_code": m.nis_code,
                "name": m.name_nl,
                "province": m.province.name_nl if m.province else None,
            }
            for m in municipalities
        ],
        "localities": selectors.postcode_localities(code),
        "lat": point.lat,
        "lon": point.lon,
    }


@router.get(
    "/municipalities",
    response=list[MunicipalityDetailOut],
    summary="Municipalities of one set (2019-2024 or since 2025), optionally of one province",
)
def municipality_list(
    request, vintage: Municipality.Vintage = Municipality.Vintage.V2025, province: str = ""
):
    if province and not selectors.province_exists(province):
        raise ValidationError(
            _("Unknown province %(province)s; use a Dutch name such as Antwerpen.")
            % {"province": province}
        )
    return [
        {
            "nis_code": m.nis_code,
            "name_nl": m.name_nl,
            "name_fr": m.name_fr,
            "vintage": m.vintage,
            "province": m.province.name_nl if m.province else None,
            "region": m.region.name_nl,
            "region_nis": m.region_id,
            "lat": m.lat,
            "lon": m.lon,
            "population_2020": m.population_2020,
            "merged_2025": m.merged_2025,
            "successor": m.successor.nis_code if m.successor else None,
        }
        for m in selectors.municipality_list(vintage=vintage, province=province or None)
    ]
