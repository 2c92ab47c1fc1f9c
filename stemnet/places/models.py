"""Real reference data of Flemish and Brussels municipalities (Statbel, CC BY 4.0).

Two sets of municipalities live side by side, each a *vintage*: the 300 + 19 of
2019-2024 and the 285 + 19 since the mergers of 1 January 2025. An unchanged
municipality has one row in each vintage with the same NIS code. Each 2019 row points
to the 2025 municipality it became (part of), so historic figures stay reproducible.
"""

import datetime as dt

from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

FLANDERS = "02000"
BRUSSELS = "04000"


class Region(models.Model):
    nis_code = models.CharField(_("NIS code"), max_length=5, primary_key=True)
    name_nl = models.CharField(_("name (Dutch)"), max_length=100)
    name_fr = models.CharField(_("name (French)"), max_length=100, blank=True)

    class Meta:
        ordering = ["nis_code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name_nl


class Province(models.Model):
    nis_code = models.CharField(_("NIS code"), max_length=5, primary_key=True)
    name_nl = models.CharField(_("name (Dutch)"), max_length=100, unique=True)
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT)

    class Meta:
        ordering = ["name_nl"]
        verbose_name = _("province")
        verbose_name_plural = _("provinces")

    def __str__(self) -> str:
        return self.name_nl


class MunicipalityQuerySet(models.QuerySet):
    def current(self):
        return self.filter(vintage=Municipality.Vintage.V2025)

    def of_vintage(self, vintage: str):
        return self.filter(vintage=vintage)

    def valid_on(self, day: dt.date):
        return self.filter(valid_from__lte=day).filter(
            models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=day)
        )

    def flemish(self):
        return self.filter(region_id=FLANDERS)

    def brussels(self):
        return self.filter(region_id=BRUSSELS)


class Municipality(models.Model):
    class Vintage(models.TextChoices):
        V2019 = "2019", _("2019-2024")
        V2025 = "2025", _("since 2025")

    nis_code = models.CharField(_("NIS code"), max_length=5, db_index=True)
    vintage = models.CharField(_("set"), max_length=4, choices=Vintage.choices)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    name_nl = models.CharField(_("name (Dutch)"), max_length=100, db_index=True)
    name_fr = models.CharField(_("name (French)"), max_length=100, blank=True)
    province = models.ForeignKey(
        Province,
        verbose_name=_("province"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="municipalities",
    )
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    lat = models.FloatField(_("latitude"))
    lon = models.FloatField(_("longitude"))
    population_2020 = models.PositiveIntegerField(
        _("population on 1 January 2020"), null=True, blank=True
    )
    successor = models.ForeignKey(
        "self",
        verbose_name=_("became part of (2025)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
    )
    merged_2025 = models.BooleanField(_("changed by the 2025 mergers"), default=False)
    boundary = models.JSONField(_("boundary (GeoJSON geometry)"), null=True, blank=True)

    objects = MunicipalityQuerySet.as_manager()

    class Meta:
        ordering = ["name_nl"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        constraints = [
            models.UniqueConstraint(
                fields=["nis_code", "vintage"], name="municipality_code_vintage"
            )
        ]

    def __str__(self) -> str:
        return self.name_nl

    @property
    def is_brussels(self) -> bool:
        return self.region_id == BRUSSELS


class Postcode(models.Model):
    """A postcode with one of its localities, in a 2025 municipality.

    A postcode has several rows when it covers several localities, and three postcodes
    (1040, 1050, 1804) belong to two municipalities.
    """

    code = models.CharField(_("postcode"), max_length=4, db_index=True)
    locality = models.CharField(_("locality"), max_length=100)
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="postcodes",
    )
    lat = models.FloatField(_("latitude"))
    lon = models.FloatField(_("longitude"))
    point_from_municipality = models.BooleanField(
        _("point is the municipality centroid"), default=False
    )
    shared = models.BooleanField(_("postcode shared by two municipalities"), default=False)

    class Meta:
        ordering = ["code", "locality"]
        verbose_name = _("postcode")
        verbose_name_plural = _("postcodes")
        constraints = [
            models.UniqueConstraint(
                fields=["code", "locality", "municipality"], name="postcode_locality_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.locality}"


MAX_AGE = 120


class PopulationCount(models.Model):
    """Residents of one municipality on 1 January of ``year``, by single year of age and sex.

    Loaded from Statbel's ``TF_SOC_POP_STRUCT_<year>`` files (CC BY 4.0), summed over
    nationality and marital status. Years up to 2024 use the 2019-2024 municipalities,
    from 2025 on the current ones. Nothing here is ever estimated: a year that was not
    loaded has no rows.
    """

    class Sex(models.TextChoices):
        MALE = "M", _("male")
        FEMALE = "F", _("female")

    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.CASCADE,
        related_name="population_counts",
    )
    year = models.PositiveSmallIntegerField(_("year (on 1 January)"))
    age = models.PositiveSmallIntegerField(_("age"), validators=[MaxValueValidator(MAX_AGE)])
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    count = models.PositiveIntegerField(_("number of residents"))

    class Meta:
        ordering = ["municipality", "year", "age", "sex"]
        verbose_name = _("population count")
        verbose_name_plural = _("population counts")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "year", "age", "sex"], name="population_count_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(age__lte=MAX_AGE), name="population_count_age_range"
            ),
            models.CheckConstraint(
                condition=models.Q(sex__in=["M", "F"]), name="population_count_sex"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality} {self.year} {self.age} {self.sex}: {self.count}"
