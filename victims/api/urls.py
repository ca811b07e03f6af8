"""Routes of victims, repatriations and follow-ups under /api/v1/."""

from __future__ import annotations

from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("victims", views.VictimViewSet, basename="victim")
router.register("repatriations", views.RepatriationViewSet, basename="repatriation")
router.register("follow-ups", views.FollowUpViewSet, basename="follow-up")

urlpatterns = router.urls
