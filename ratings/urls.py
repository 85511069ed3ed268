from django.urls import path

from ratings import views

app_name = "ratings"
urlpatterns = [
    path("studies/<int:pk>/", views.study_detail, name="study"),
]
