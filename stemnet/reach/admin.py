from django.contrib import admin

from stemnet.reach.models import (
    Participation,
    ParticipationBreakdown,
    SchoolReach,
    SessionAttendance,
    TargetGroup,
)


@admin.register(TargetGroup)
class TargetGroupAdmin(admin.ModelAdmin):
    list_display = ["slug", "name_nl", "name_en", "position", "is_active"]
    list_editable = ["position", "is_active"]


class BreakdownInline(admin.TabularInline):
    model = ParticipationBreakdown
    extra = 0
    fields = ["dimension", "age", "residence", "target_group", "count"]
    readonly_fields = fields
    can_delete = False


class SessionAttendanceInline(admin.TabularInline):
    model = SessionAttendance
    extra = 0
    readonly_fields = ["session", "attendances"]
    can_delete = False


@admin.register(Participation)
class ParticipationAdmin(admin.ModelAdmin):
    """Read-only: participation is written by the services (grid, upload, API, history)."""

    list_display = [
        "__str__",
        "year",
        "organisation",
        "municipality",
        "kind",
        "participants",
        "girls",
        "source",
    ]
    list_filter = ["year", "source", "kind"]
    search_fields = ["history_activity_name", "activity__title", "organisation__name"]
    list_select_related = ["organisation", "municipality", "activity"]
    inlines = [BreakdownInline, SessionAttendanceInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SchoolReach)
class SchoolReachAdmin(admin.ModelAdmin):
    list_display = ["organisation", "year", "pupils_total", "pupils_reached"]
    list_filter = ["year"]
    raw_id_fields = ["organisation"]
