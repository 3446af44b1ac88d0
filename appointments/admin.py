from django.contrib import admin

from .models import Council, Seat


@admin.register(Council)
class CouncilAdmin(admin.ModelAdmin):
    list_display = ["__str__", "region", "term_start", "term_end"]


@admin.register(Seat)
class SeatAdmin(admin.ModelAdmin):
    list_display = ["council", "number", "kind", "party", "holder", "substitute", "valid_from", "valid_to"]
    list_filter = ["council", "kind"]
