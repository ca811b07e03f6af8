"""The only route to an uploaded photo (MEDIA_URL is deliberately not routed); outside the
`victims` namespace, as it always was (`victim-photo`)."""

from __future__ import annotations

from django.urls import path

from .photo_views import victim_photo

urlpatterns = [path("<uuid:pk>/photo/", victim_photo, name="victim-photo")]
