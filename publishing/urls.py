"""Public addresses. The namespaces name the pages ("interventions", "ratings" for
studies), as they always have, so links and citations keep working."""

from django.urls import path

from publishing import views

app_name = "interventions"
urlpatterns = [
    path("", views.home, name="home"),
    path("interventions/", views.intervention_list, name="list"),
    path(
        "interventions/download.csv",
        views.intervention_download,
        {"file_format": "csv"},
        name="download_csv",
    ),
    path(
        "interventions/download.json",
        views.intervention_download,
        {"file_format": "json"},
        name="download_json",
    ),
    path("interventions/<slug:slug>/", views.intervention_detail, name="detail"),
    path(
        "interventions/<slug:slug>/versions/<int:number>/",
        views.version_detail,
        name="version",
    ),
    path("interventions/<slug:slug>/changes/", views.intervention_changes, name="changes"),
    path("methods/", views.methods, name="methods"),
    path("evidence-map/", views.evidence_gap_map, name="evidence_map"),
    path("glossary/", views.glossary, name="glossary"),
    path("what-works/<slug:slug>/", views.what_works, name="what_works"),
    path("what-works/<slug:slug>/<slug:age>/", views.what_works, name="what_works_for_age"),
]

study_urlpatterns = [
    path("studies/<int:pk>/", views.study_detail, name="study"),
]
