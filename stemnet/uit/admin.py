from django.contrib import admin

from stemnet.uit.models import (
    UitImportRun,
    UitOrganizerMapping,
    UitPlaceMapping,
    UitSync,
    UitTermMapping,
)


@admin.register(UitTermMapping)
class UitTermMappingAdmin(admin.ModelAdmin):
    list_display = ["scheme", "value", "term_id", "term_label", "position"]
    list_filter = ["scheme"]
    list_editable = ["term_id", "term_label", "position"]
    search_fields = ["value", "term_id", "term_label"]


@admin.register(UitSync)
class UitSyncAdmin(admin.ModelAdmin):
    list_display = [
        "activity",
        "state",
        "uit_id",
        "attempts",
        "failed_attempts",
        "next_attempt_at",
        "last_synced_at",
    ]
    list_filter = ["state"]
    search_fields = ["activity__title", "uit_id"]
    raw_id_fields = ["activity"]
    readonly_fields = [
        "payload_hash",
        "attempts",
        "failed_attempts",
        "next_attempt_at",
        "last_synced_at",
    ]


@admin.register(UitPlaceMapping)
class UitPlaceMappingAdmin(admin.ModelAdmin):
    list_display = ["label", "uit_id"]
    search_fields = ["label", "uit_id"]


@admin.register(UitOrganizerMapping)
class UitOrganizerMappingAdmin(admin.ModelAdmin):
    list_display = ["organisation", "uit_id"]
    search_fields = ["organisation__name", "uit_id"]
    raw_id_fields = ["organisation"]


@admin.register(UitImportRun)
class UitImportRunAdmin(admin.ModelAdmin):
    list_display = ["started_at", "source", "status", "page", "created", "updated", "failed"]
    list_filter = ["status"]
    readonly_fields = [f.name for f in UitImportRun._meta.fields]
