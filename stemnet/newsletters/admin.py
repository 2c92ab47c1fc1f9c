from django.contrib import admin
from django.db import models

from stemnet.newsletters.models import Block, Consent, Delivery, Issue, Subscriber


class ConsentInline(admin.TabularInline):
    model = Consent
    extra = 0
    can_delete = False
    readonly_fields = ["action", "at", "form_version", "address_hash"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    list_display = ["email", "audience", "status", "source", "created_at"]
    list_filter = ["audience", "status", "source", "is_demo"]
    search_fields = ["email"]
    readonly_fields = ["confirmed_at", "unsubscribed_at", "confirmation_sent_at", "province"]
    inlines = [ConsentInline]


class BlockInline(admin.StackedInline):
    model = Block
    extra = 0
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Issue)
class IssueAdmin(admin.ModelAdmin):
    inlines = [BlockInline]
    list_display = ["subject", "audience", "status", "sent_at"]
    list_filter = ["audience", "status"]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["issue", "subscriber", "status", "finished_at"]
    list_filter = ["status"]
    readonly_fields = [f.name for f in Delivery._meta.fields]

    def has_add_permission(self, request):
        return False
