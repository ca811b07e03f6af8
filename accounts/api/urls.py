"""Routes of the API tokens under /api/v1/."""

from __future__ import annotations

from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("auth/tokens", views.ApiTokenViewSet, basename="api-token")

urlpatterns = [
    path("auth/token/", views.TokenView.as_view(), name="api-token-issue"),
    *router.urls,
]
