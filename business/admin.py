from django.contrib import admin

from business.models import GdpDeflator


@admin.register(GdpDeflator)
class GdpDeflatorAdmin(admin.ModelAdmin):
    list_display = ["year", "index", "forecast", "source", "published_on"]
    ordering = ["-year"]
