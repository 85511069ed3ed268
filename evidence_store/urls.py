from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.utils.functional import lazy
from django.views.generic import RedirectView

from publishing.urls import study_urlpatterns

admin.site.site_header = "Evidence Store curation"
admin.site.site_title = "Evidence Store curation"
admin.site.index_title = "Catalogue"

# A database error outside a view (a middleware, the 404 page) gives the 503 page too.
handler500 = "evidence_store.outage.server_error"

urlpatterns = [
    path("", include("publishing.urls")),
    path("", include((study_urlpatterns, "ratings"))),
    path("", include("api.urls")),
    path("", include("opendata.urls")),
    path("", include("alerts.urls")),
    path("", include("business.urls")),
    path("admin/", admin.site.urls),
    # Browsers ask for /favicon.ico on pages without an icon link, such as the admin.
    # Not permanent: in production the static name has a content hash that changes.
    path(
        "favicon.ico",
        RedirectView.as_view(url=lazy(static, str)("images/favicon.svg"), permanent=False),
    ),
]
