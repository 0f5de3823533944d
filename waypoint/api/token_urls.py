from __future__ import annotations

from django.urls import path

from waypoint.api import views

app_name = "api_tokens"

urlpatterns = [
    path("organisations/<int:pk>/", views.token_list, name="list"),
    path(
        "organisations/<int:pk>/<int:token_pk>/revoke/",
        views.token_revoke,
        name="revoke",
    ),
]
