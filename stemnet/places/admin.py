"""Reference data in the admin: everyone on the staff may look, only superusers may edit."""

from django.contrib import admin

from stemnet.places.models import Municipality, PopulationCount, Postcode, Province, Region


class ReferenceDataAdmin(admin.ModelAdmin):
    """Reference data comes from `load_places`/`load_population`; edits are for superusers."""

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(Region)
class RegionAdmin(ReferenceDataAdmin):
    list_display = ["nis_code", "name_nl", "name_fr"]
    search_fields = ["nis_code", "name_nl", "name_fr"]


@admin.register(Province)
class ProvinceAdmin(ReferenceDataAdmin):
    list_display = ["nis_code", "name_nl", "region"]
    list_filter = ["region"]
    search_fields = ["nis_code", "name_nl"]


@admin.register(Municipality)
class MunicipalityAdmin(ReferenceDataAdmin):
    list_display = ["nis_code", "name_nl", "vintage", "province", "population_2020", "successor"]
    list_filter = ["vintage", "province", "region", "merged_2025"]
    search_fields = ["nis_code", "name_nl", "name_fr"]
    list_select_related = ["province", "successor"]
    exclude = ["boundary"]
    autocomplete_fields = ["successor"]
    ordering = ["vintage", "name_nl"]


@admin.register(Postcode)
class PostcodeAdmin(ReferenceDataAdmin):
    list_display = ["code", "locality", "municipality", "shared", "point_from_municipality"]
    list_filter = ["shared", "point_from_municipality"]
    search_fields = ["code", "locality", "municipality__name_nl"]
    list_select_related = ["municipality"]
    autocomplete_fields = ["municipality"]


@admin.register(PopulationCount)
class PopulationCountAdmin(ReferenceDataAdmin):
    list_display = ["municipality", "year", "age", "sex", "count"]
    list_filter = ["year", "sex"]
    search_fields = ["municipality__nis_code", "municipality__name_nl"]
    list_select_related = ["municipality"]
    autocomplete_fields = ["municipality"]
