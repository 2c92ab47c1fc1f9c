from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from stemnet.agenda.models import (
    AccessibilityFeature,
    Activity,
    ApiToken,
    Domain,
    Session,
    Theme,
)


class SessionInline(admin.TabularInline):
    model = Session
    extra = 0


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["title", "organiser", "kind", "status", "source", "first_start"]
    list_filter = [
        "status",
        "kind",
        "source",
        "subsidised",
        "themes",
        "domains",
        ("municipality__province", admin.RelatedOnlyFieldListFilter),
        "is_demo",
    ]
    search_fields = ["title", "organiser__name", "external_id"]
    raw_id_fields = ["organiser", "municipality", "created_by"]
    filter_horizontal = ["domains", "themes", "accessibility", "co_organisers"]
    readonly_fields = ["search_text", "first_start", "last_end", "created_at", "updated_at"]
    date_hierarchy = "first_start"
    list_select_related = ["organiser"]
    inlines = [SessionInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        from stemnet.agenda.search import activity_reindex

        activity_reindex([form.instance.pk])


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["activity", "starts_at", "ends_at"]
    raw_id_fields = ["activity"]
    date_hierarchy = "starts_at"
    search_fields = ["activity__title"]


class VocabularyAdmin(admin.ModelAdmin):
    list_display = ["slug", "name_nl", "name_en", "position"]
    list_editable = ["position"]
    search_fields = ["slug", "name_nl", "name_en"]


admin.site.register(Domain, VocabularyAdmin)
admin.site.register(AccessibilityFeature, VocabularyAdmin)


@admin.register(Theme)
class ThemeAdmin(VocabularyAdmin):
    list_display = [*VocabularyAdmin.list_display, "is_transition_priority"]
    list_filter = ["is_transition_priority"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "organisation",
        "user",
        "prefix",
        "created_at",
        "last_used_at",
        "revoked_at",
    ]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "organisation__name", "prefix"]
    raw_id_fields = ["organisation", "user"]
    readonly_fields = ["key_hash", "prefix", "last_used_at", "created_at", "updated_at"]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False  # tokens are made by coordinators, who see the key once

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        from stemnet.agenda.services import api_token_revoke

        for token in queryset.filter(revoked_at__isnull=True):
            api_token_revoke(token=token, actor=request.user)
