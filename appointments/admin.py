from django.contrib import admin

from .models import (
    Appointment,
    Body,
    Council,
    Election,
    ElectionRound,
    ElectoralAlliance,
    ListCooperation,
    Post,
    Seat,
    StandIn,
)


@admin.register(Council)
class CouncilAdmin(admin.ModelAdmin):
    list_display = ["__str__", "region", "term_start", "term_end", "chair", "vice_chair"]


@admin.register(Seat)
class SeatAdmin(admin.ModelAdmin):
    list_display = ["council", "number", "kind", "party", "holder", "substitute", "valid_from", "valid_to"]
    list_filter = ["council", "kind"]


@admin.register(StandIn)
class StandInAdmin(admin.ModelAdmin):
    list_display = ["council", "seat_number", "member", "stand_in", "starts_on", "ends_on", "decided_on"]


@admin.register(ListCooperation, ElectoralAlliance)
class GroupingAdmin(admin.ModelAdmin):
    list_display = ["name", "council"]


class PostInline(admin.TabularInline):
    model = Post
    extra = 0


@admin.register(Body)
class BodyAdmin(admin.ModelAdmin):
    list_display = ["name", "region", "term_start", "term_end"]
    list_filter = ["region"]
    inlines = [PostInline]


class RoundInline(admin.TabularInline):
    model = ElectionRound
    extra = 0


@admin.register(Election)
class ElectionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "council", "post", "kind", "elected_name", "seed"]
    list_filter = ["kind"]
    inlines = [RoundInline]


@admin.register(Appointment)
class AppointmentAdmin(admin.ModelAdmin):
    list_display = ["politician", "post", "group", "valid_from", "valid_to"]
    list_filter = ["post__body__region"]
