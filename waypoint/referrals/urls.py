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
    path(
        "<int:pk>/attachments/<int:attachment_pk>/",
        views.attachment,
        name="attachment",
    ),
    path("<int:pk>/print/", views.print_form, name="print"),
    path("<int:pk>/link/", views.reissue, name="reissue"),
    # A recipient outside the platform: no account, the emailed link's token.
    path("x/<str:token>/", views.external_open, name="external_open"),
    path("x/<str:token>/code/", views.external_code, name="external_code"),
    path("x/<str:token>/referral/", views.external_referral, name="external_referral"),
    path("x/<str:token>/act/", views.external_act, name="external_act"),
    path("x/<str:token>/print/", views.external_print, name="external_print"),
]
