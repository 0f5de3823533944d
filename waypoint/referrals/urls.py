from __future__ import annotations

from django.urls import path

from waypoint.referrals import views

app_name = "referrals"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("cases/<int:case_pk>/send/", views.send, name="send"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/act/", views.act, name="act"),
    path("<int:pk>/messages/", views.message, name="message"),
    path("<int:pk>/resend/", views.resend, name="resend"),
]
