"""Routes of activities and deportee reports under /api/v1/ (the statistics `reports`
resource has its own routes)."""

from __future__ import annotations

from rest_framework.routers import SimpleRouter

from . import aggregate_views

router = SimpleRouter()
router.register("activities", aggregate_views.ActivityViewSet, basename="activity")
router.register(
    "deportee-reports", aggregate_views.DeporteeReportViewSet, basename="deportee-report"
)

urlpatterns = router.urls
