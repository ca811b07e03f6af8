"""Routes of cases, suspects, operations and prosecutions under /api/v1/."""

from __future__ import annotations

from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("cases", views.CaseViewSet, basename="case")
router.register("suspects", views.SuspectViewSet, basename="suspect")
router.register("operations", views.OperationViewSet, basename="operation")
router.register("prosecutions", views.ProsecutionViewSet, basename="prosecution")

urlpatterns = router.urls
