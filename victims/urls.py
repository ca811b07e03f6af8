"""Browser URLs of victims."""

from __future__ import annotations

from django.urls import path

from . import views

app_name = "victims"

urlpatterns = [
    path("", views.victim_list, name="list"),
    path("new/", views.victim_new, name="new"),
    path("geo/", views.geo_fields, name="geo"),
    path("archive/", views.archive_list, name="archive_list"),
    path("<uuid:pk>/", views.victim_detail, name="detail"),
    path("<uuid:pk>/edit/", views.victim_edit, name="edit"),
    path("<uuid:pk>/photo/edit/", views.victim_photo_edit, name="photo_edit"),
    path("<uuid:pk>/duplicates/", views.victim_duplicates, name="duplicates"),
    path("<uuid:pk>/merge/", views.victim_merge_page, name="merge"),
    path("<uuid:pk>/archive/", views.victim_archive, name="archive"),
    path("<uuid:pk>/follow-ups/new/", views.follow_up_new, name="follow_up_new"),
    path("<uuid:pk>/repatriations/new/", views.repatriation_new, name="repatriation_new"),
]
