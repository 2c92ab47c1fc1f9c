from django.contrib import admin

from stemnet.participation.models import Consultation, Survey, Theme


class ThemeInline(admin.TabularInline):
    model = Theme
    extra = 0


@admin.register(Consultation)
class ConsultationAdmin(admin.ModelAdmin):
    list_display = ["title", "access", "voting_from", "voting_until", "is_demo"]
    inlines = [ThemeInline]


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ["title", "opens_at", "closes_at", "is_demo"]
