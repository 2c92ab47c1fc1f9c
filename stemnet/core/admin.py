from django.contrib import admin

from stemnet.core.models import AuditEntry, Job


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "code", "object_repr", "actor"]
    list_filter = ["code", "object_type"]
    search_fields = ["code", "object_repr", "object_id", "actor__email"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["kind", "status", "done", "total", "owner", "created_at"]
    list_filter = ["kind", "status"]
    search_fields = ["kind", "owner__email"]
    readonly_fields = ["errors", "result"]
