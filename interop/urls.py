"""The OSCaR-compatible routes, under /api/v1/. A trailing slash is optional: the OpenFn jobs
call some with it and some without."""

from __future__ import annotations

from django.urls import re_path

from . import views

urlpatterns = [
    re_path(r"^admin_auth/sign_in/?$", views.SignInView.as_view(), name="oscar-sign-in"),
    re_path(r"^organizations/clients/?$", views.ClientsView.as_view(), name="oscar-clients"),
    re_path(r"^organizations/clients/upsert/?$", views.UpsertView.as_view(), name="oscar-upsert"),
    re_path(
        r"^organizations/clients/update_links/?$",
        views.UpdateLinksView.as_view(),
        name="oscar-update-links",
    ),
    re_path(
        r"^organizations/clients/check_duplication/?$",
        views.CheckDuplicationView.as_view(),
        name="oscar-check-duplication",
    ),
    re_path(
        r"^organizations/referrals/update_statuses/?$",
        views.UpdateStatusesView.as_view(),
        name="oscar-update-statuses",
    ),
]
