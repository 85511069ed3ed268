from django.urls import path

from business import views

app_name = "business"
urlpatterns = [
    path("interventions/<slug:slug>/versions/<int:number>/brief/", views.brief, name="brief"),
    path("interventions/<slug:slug>/versions/<int:number>/costs/", views.costs, name="costs"),
    path(
        "interventions/<slug:slug>/versions/<int:number>/cite.ris",
        views.cite,
        {"file_format": "ris"},
        name="cite_ris",
    ),
    path(
        "interventions/<slug:slug>/versions/<int:number>/cite.bib",
        views.cite,
        {"file_format": "bib"},
        name="cite_bib",
    ),
    path("compare/", views.compare, name="compare"),
    path(
        "compare/options-appraisal.csv",
        views.compare_download,
        {"file_format": "csv"},
        name="compare_csv",
    ),
    path(
        "compare/options-appraisal.xlsx",
        views.compare_download,
        {"file_format": "xlsx"},
        name="compare_xlsx",
    ),
]
