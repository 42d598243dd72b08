"""The product's URLs plus Django's stock admin over Member, the roster baseline."""

from django.contrib import admin
from django.urls import path
from unfold.sites import UnfoldAdminSite

from gonghui.members.models import Member
from gonghui.urls import urlpatterns as product_urls

# The product's admin shell (unfold's site: its templates are the ones installed)
# around Django's stock ModelAdmin, so the comparison is of the list alone.
stock_site = UnfoldAdminSite(name="stock")


class StockMemberAdmin(admin.ModelAdmin):
    """Out-of-the-box ModelAdmin: the columns, filters and search a first version would have."""

    list_display = ["name", "gender", "group", "department", "status", "joined_on"]
    list_filter = ["status", "group"]
    search_fields = ["name"]
    list_per_page = 100


stock_site.register(Member, StockMemberAdmin)

urlpatterns = [path("stock-admin/", stock_site.urls), *product_urls]
