from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from stemnet.organisations.models import Invitation, Membership, Organisation, PartnershipMember


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]  # the accounts admin may not offer autocomplete
    fields = ["user", "role"]


class PartnershipMemberInline(admin.TabularInline):
    model = PartnershipMember
    fk_name = "partnership"
    extra = 0
    autocomplete_fields = ["member"]
    fields = ["member", "role"]
    verbose_name = _("partner organisation")
    verbose_name_plural = _("partner organisations (for a partnership)")


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "type", "municipality", "postcode", "email", "is_active", "is_demo"]
    list_filter = ["type", "is_active", "is_demo", "municipality__province"]
    search_fields = ["name", "email", "postcode"]
    list_select_related = ["municipality"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["municipalities_served"]
    raw_id_fields = ["municipality"]
    inlines = [MembershipInline, PartnershipMemberInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = [
        (None, {"fields": ["name", "slug", "type", "description", "is_active", "is_demo"]}),
        (_("Address"), {"fields": ["street", "postcode", "municipality", "municipalities_served"]}),
        (
            _("Contact"),
            {"fields": ["website", "email", "phone", "contact_name", "logo", "logo_alt"]},
        ),
    ]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "municipalities_served":
            from stemnet.places.models import Municipality

            kwargs["queryset"] = Municipality.objects.current()
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "role", "created_at"]
    list_filter = ["role", "organisation__type"]
    search_fields = ["user__email", "user__name", "organisation__name"]
    raw_id_fields = ["user"]
    autocomplete_fields = ["organisation"]
    list_select_related = ["user", "organisation"]


@admin.register(PartnershipMember)
class PartnershipMemberAdmin(admin.ModelAdmin):
    list_display = ["partnership", "member", "role"]
    list_filter = ["role"]
    search_fields = ["partnership__name", "member__name"]
    autocomplete_fields = ["partnership", "member"]
    list_select_related = ["partnership", "member"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "organisation", "role", "expires_at", "accepted_at"]
    list_filter = ["role"]
    search_fields = ["email", "organisation__name"]
    autocomplete_fields = ["organisation"]
    readonly_fields = ["token", "invited_by", "accepted_at", "accepted_by"]
    list_select_related = ["organisation"]
