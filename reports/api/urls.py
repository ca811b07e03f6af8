"""Routes of /api/v1/reports/ (included by ctms/api.py)."""

from __future__ import annotations

from rest_framework.routers import SimpleRouter

from .views import ReportRunViewSet

router = SimpleRouter()
router.register("reports", ReportRunViewSet, basename="api-report")

urlpatterns = router.urls
