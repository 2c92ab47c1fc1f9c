from django.contrib import admin

from stemnet.events.models import Audience, Event, Registration, Speaker, Stand, Track


class AudienceInline(admin.TabularInline):
    model = Audience
    extra = 0


class TrackInline(admin.TabularInline):
    model = Track
    extra = 0
    filter_horizontal = ["speakers"]


class SpeakerInline(admin.TabularInline):
    model = Speaker
    extra = 0


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "starts_at", "organiser", "capacity", "is_published"]
    list_filter = ["kind", "is_published", "is_demo"]
    search_fields = ["title"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [AudienceInline, SpeakerInline, TrackInline]


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "event", "status", "checked_in_at"]
    list_filter = ["status"]
    search_fields = ["name", "email", "event__title"]
    raw_id_fields = ["event", "person", "organisation", "registered_by", "checked_in_by"]
    readonly_fields = ["code"]


@admin.register(Stand)
class StandAdmin(admin.ModelAdmin):
    list_display = ["event", "number", "partnership"]
