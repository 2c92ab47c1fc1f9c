"""Rounds are configured here (rules, attachments, formula as data); the rest is read-mostly."""

from django.contrib import admin

from stemnet.funding.models import (
    Application,
    Decision,
    Grant,
    Recognition,
    Report,
    Round,
    Tranche,
)


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = ["title_nl", "type", "year", "opens_at", "closes_at", "budget", "is_demo"]
    list_filter = ["type", "year", "is_demo"]
    search_fields = ["title_nl", "title_en"]
    filter_horizontal = ["officers"]
    raw_id_fields = ["panel"]


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["__str__", "round", "status", "requested_amount", "submitted_at"]
    list_filter = ["status", "round"]
    search_fields = ["organisation__name", "title"]
    raw_id_fields = ["organisation", "created_by", "entry"]
    filter_horizontal = ["municipalities"]
    readonly_fields = ["status"]  # transitions go through the services (and the audit trail)
    exclude = ["activities"]


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ["application", "recognised", "amount_granted", "decided_at"]
    readonly_fields = ["application", "recognised", "amount_granted", "decided_by", "decided_at"]


class TrancheInline(admin.TabularInline):
    model = Tranche
    extra = 0
    readonly_fields = ["status", "released_at"]


@admin.register(Grant)
class GrantAdmin(admin.ModelAdmin):
    list_display = ["application", "total", "start_date", "end_date"]
    inlines = [TrancheInline]
    raw_id_fields = ["application"]


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["grant", "kind", "year_index", "due_date", "status"]
    list_filter = ["status", "kind"]
    raw_id_fields = ["grant"]


@admin.register(Recognition)
class RecognitionAdmin(admin.ModelAdmin):
    list_display = ["organisation", "valid_from", "valid_to", "provisional"]
    list_filter = ["provisional"]
    raw_id_fields = ["organisation", "application", "renewal_of"]
