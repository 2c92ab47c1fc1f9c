from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from stemnet.portal.models import ContactMessage, NewsArticle


class PublishedFilter(admin.SimpleListFilter):
    title = _("visibility")
    parameter_name = "visible"

    def lookups(self, request, model_admin):
        return [("yes", _("public")), ("no", _("scheduled"))]

    def queryset(self, request, queryset):
        published = NewsArticle.objects.published().values("pk")
        if self.value() == "yes":
            return queryset.filter(pk__in=published)
        if self.value() == "no":
            return queryset.exclude(pk__in=published)
        return queryset


@admin.register(NewsArticle)
class NewsArticleAdmin(TranslationAdmin):
    list_display = ["title", "publish_at", "is_published", "is_demo", "author"]
    list_filter = [PublishedFilter, "publish_at", "is_demo"]
    search_fields = ["title_nl", "title_en", "summary_nl", "summary_en", "slug"]
    prepopulated_fields = {"slug": ["title_nl"]}
    date_hierarchy = "publish_at"
    raw_id_fields = ["author"]
    readonly_fields = ["created_at", "updated_at"]

    @admin.display(boolean=True, description=_("public"))
    def is_published(self, obj):
        return obj.is_published

    def save_model(self, request, obj, form, change):
        if not change and obj.author_id is None:
            obj.author = request.user
        super().save_model(request, obj, form, change)


@admin.register(ContactMessage)
class ContactMessageAdmin(admin.ModelAdmin):
    list_display = ["subject", "name", "email", "language", "created_at", "handled"]
    list_filter = ["handled", "language", "created_at"]
    search_fields = ["name", "email", "subject", "message"]
    date_hierarchy = "created_at"
    readonly_fields = ["name", "email", "subject", "message", "language", "ip_hash", "created_at"]
    fields = [*readonly_fields, "handled"]
    actions = ["mark_handled"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Mark as handled"))
    def mark_handled(self, request, queryset):
        queryset.update(handled=True)
