from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Evidence Store curation"
admin.site.site_title = "Evidence Store curation"
admin.site.index_title = "Catalogue"

urlpatterns = [
    path("", include("interventions.urls")),
    path("", include("ratings.urls")),
    path("admin/", admin.site.urls),
]
