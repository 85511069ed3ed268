from django.urls import path

from api.docs import docs
from api.endpoints import api

urlpatterns = [
    path("api/v1/docs", docs, name="api_docs"),
    path("api/v1/", api.urls),
]
