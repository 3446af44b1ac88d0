"""Django admin for the IV agreement's reference data (not the main UI: courses and settlements
are handled through the pages and services, so they are read-only here)."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import Agreement, TariffRate, TariffTable


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    list_display = ["name", "region", "starts_on", "extension_decision_by", "ends_on"]
    # The period changes only by a recorded extension (the agreement page, services.agreement_extend).
    readonly_fields = ["region", "statement_counter", "ends_on", "extension_decision_by"]


class TariffRateInline(admin.TabularInline):
    model = TariffRate
    can_delete = False
    extra = 0
    readonly_fields = ["treatment", "step", "course_tariff", "day_tariff"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(TariffTable)
class TariffTableAdmin(ReadOnlyAdmin):
    """Tables are made by `iv_tariff_year` or the tariff page (base × index); here they are read."""

    list_display = ["year", "index", "created_at"]
    inlines = [TariffRateInline]
