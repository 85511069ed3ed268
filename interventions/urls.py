from django.urls import path

from interventions import views

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
    path("methods/", views.methods, name="methods"),
]
