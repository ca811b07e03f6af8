"""Routes of case work under /api/v1/."""

from __future__ import annotations

from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("case-notes", views.CaseNoteViewSet, basename="case-note")
router.register("care-plans", views.CarePlanViewSet, basename="care-plan")
router.register("risk-assessments", views.RiskAssessmentViewSet, basename="risk-assessment")
router.register("documents", views.DocumentViewSet, basename="document")
router.register("consents", views.ConsentViewSet, basename="consent")

urlpatterns = router.urls
