"""Routes of hand-overs under /api/v1/."""

from __future__ import annotations

from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("handovers", views.HandoverViewSet, basename="handover")

urlpatterns = router.urls
