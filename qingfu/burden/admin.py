"""Django admin for operators (superusers): the county's filed inspection plans and its
lists (the offices and the campaign office keep them on /burden/plan/ and /burden/lists/). Demands, approvals and
reports are written only through the services (pages and API), which check them."""

from django.contrib import admin

from qingfu.burden.models import InspectionPlanEntry, ListEntry


@admin.register(InspectionPlanEntry)
class InspectionPlanEntryAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("title", "issuer", "year", "month")
    list_filter = ("year",)


@admin.register(ListEntry)
class ListEntryAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "kind", "district", "funding_per_year")
    list_filter = ("kind",)
