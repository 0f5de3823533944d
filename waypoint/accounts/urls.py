from __future__ import annotations

from django.urls import path

from waypoint.accounts import views

app_name = "accounts"

urlpatterns = [
    # allauth's sign-in and sign-out under the names the rest of Waypoint uses.
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    # Same address as allauth's set-up page, found first (see the view).
    path("2fa/totp/activate/", views.activate_totp, name="activate_totp"),
    path("me/", views.home, name="home"),
    path("me/logout-everywhere/", views.logout_everywhere, name="logout_everywhere"),
    path("invitation/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("organisations/<int:pk>/staff/", views.staff_list, name="staff_list"),
    path(
        "organisations/<int:pk>/invite/",
        views.invitation_create,
        name="invitation_create",
    ),
    path("members/<int:pk>/", views.member_detail, name="member_detail"),
    path(
        "members/<int:pk>/reset-second-factor/",
        views.member_reset_second_factor,
        name="member_reset_second_factor",
    ),
    path(
        "members/<int:pk>/deactivate/",
        views.member_deactivate,
        name="member_deactivate",
    ),
    path("members/<int:pk>/end-role/", views.member_role_end, name="member_role_end"),
    path("all/", views.account_list, name="account_list"),
    path(
        "all/<int:pk>/deactivate/",
        views.account_deactivate,
        name="account_deactivate",
    ),
    path(
        "all/<int:pk>/reset-second-factor/",
        views.account_reset_second_factor,
        name="account_reset_second_factor",
    ),
]
