"""Read-only admin for the scoring component: every change goes through the services, so
that the audit trail stays complete."""

from django.contrib import admin

from stemnet.scoring.models import Assignment, ConflictDeclaration, Criterion, Entry, Panel, Score


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0
    fields = ["position", "title_nl", "title_en", "weight"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Panel)
class PanelAdmin(ReadOnlyAdmin):
    list_display = ["title", "scale_min", "scale_max", "is_closed", "created_at"]
    list_filter = ["is_closed"]
    search_fields = ["title"]
    inlines = [CriterionInline]


@admin.register(Entry)
class EntryAdmin(ReadOnlyAdmin):
    list_display = ["title", "reference", "panel", "owner_organisation"]
    list_select_related = ["panel", "owner_organisation"]
    search_fields = ["title", "reference"]
    list_filter = ["panel"]


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdmin):
    list_display = ["entry", "reviewer", "state", "assigned_at", "submitted_at"]
    list_select_related = ["entry", "reviewer"]
    list_filter = ["state", "entry__panel"]
    search_fields = ["entry__title", "reviewer__email", "reviewer__name"]


@admin.register(ConflictDeclaration)
class ConflictDeclarationAdmin(ReadOnlyAdmin):
    list_display = ["assignment", "has_conflict", "declared_at"]
    list_filter = ["has_conflict"]


@admin.register(Score)
class ScoreAdmin(ReadOnlyAdmin):
    list_display = ["assignment", "criterion", "value", "updated_at"]
    list_select_related = ["assignment__entry", "assignment__reviewer", "criterion"]
