from django.contrib import admin

from .models import ElectionList, ElectionResult, Municipality, Party, Politician, Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "region", "population"]
    list_filter = ["region"]
    search_fields = ["name", "code"]


@admin.register(Party)
class PartyAdmin(admin.ModelAdmin):
    list_display = ["letter", "name"]


@admin.register(Politician)
class PoliticianAdmin(admin.ModelAdmin):
    list_display = ["name", "municipality", "party", "office"]
    list_filter = ["municipality__region", "party", "office"]
    search_fields = ["name"]


@admin.register(ElectionResult)
class ElectionResultAdmin(admin.ModelAdmin):
    list_display = ["year", "municipality", "party", "votes", "seats"]
    list_filter = ["year", "municipality__region"]


@admin.register(ElectionList)
class ElectionListAdmin(admin.ModelAdmin):
    list_display = ["year", "municipality", "letter", "name", "party", "votes", "seats"]
    list_filter = ["year", "municipality__region"]
    search_fields = ["name", "municipality__name"]
