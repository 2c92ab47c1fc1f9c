"""Admin for platform operators: create a hub for a gangmaker or knowledge institution, set
its lending rules (our defaults: 28 days, academies) and its regular opening hours."""

from django.contrib import admin

from stemnet.lending.models import Hub, Item, Loan, OpeningException, OpeningHours, Unit


class OpeningHoursInline(admin.TabularInline):
    model = OpeningHours
    extra = 0


class OpeningExceptionInline(admin.TabularInline):
    model = OpeningException
    extra = 0


@admin.register(Hub)
class HubAdmin(admin.ModelAdmin):
    list_display = ["organisation", "max_loan_days", "recognised_only", "is_demo"]
    autocomplete_fields = ["organisation"]
    inlines = [OpeningHoursInline, OpeningExceptionInline]


class UnitInline(admin.TabularInline):
    model = Unit
    extra = 0


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    list_display = ["name", "hub", "kind", "is_active", "is_demo"]
    list_filter = ["hub", "kind"]
    search_fields = ["name"]
    inlines = [UnitInline]


@admin.register(Loan)
class LoanAdmin(admin.ModelAdmin):
    list_display = ["item", "borrower", "start_at", "end_at", "status", "is_demo"]
    list_filter = ["status"]
    readonly_fields = ["status", "handed_out_at", "returned_at", "reminded_at"]
    raw_id_fields = ["item", "borrower", "requested_by", "activity"]

    def has_add_permission(self, request):
        return False  # loans are made through the service that checks the calendar
