"""The staff pages of API tokens, under the language prefix."""

from __future__ import annotations

from django.urls import path

from waypoint.api.views import tokens as views

app_name = "api_tokens"

urlpatterns = [
    path("organisations/<int:pk>/", views.token_list, name="list"),
    path(
        "organisations/<int:pk>/<int:token_pk>/revoke/",
        views.token_revoke,
        name="revoke",
    ),
]
