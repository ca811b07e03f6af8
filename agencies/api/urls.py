"""Routes of the agency directory under /api/v1/."""

from __future__ import annotations

from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("agencies", views.AgencyViewSet, basename="agency")

urlpatterns = router.urls
