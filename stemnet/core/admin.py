from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from stemnet.core import outbox
from stemnet.core.models import AuditEntry, Job, OutboxMessage


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


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """Staff see every outgoing mail's state; the message itself (reset links) stays hidden."""

    list_display = [
        "created_at",
        "subject",
        "recipient_list",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "short_error",
    ]
    list_filter = ["status"]
    search_fields = ["subject", "recipients"]
    date_hierarchy = "created_at"
    fields = [
        "status",
        "subject",
        "from_email",
        "recipients",
        "created_at",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "last_error",
    ]
    readonly_fields = fields
    actions = ["retry_now"]

    @admin.display(description=_("recipients"))
    def recipient_list(self, obj: OutboxMessage) -> str:
        return ", ".join(obj.recipients)

    @admin.display(description=_("last error"))
    def short_error(self, obj: OutboxMessage) -> str:
        return obj.last_error[:120]

    @admin.action(description=_("Retry now"), permissions=["change"])
    def retry_now(self, request, queryset):
        retried = sum(
            outbox.outbox_retry(message=message, actor=request.user) for message in queryset
        )
        self.message_user(
            request,
            ngettext(
                "%(count)d e-mail is queued to be sent now.",
                "%(count)d e-mails are queued to be sent now.",
                retried,
            )
            % {"count": retried},
            messages.SUCCESS,
        )

    def has_add_permission(self, request):
        return False
