"""Routes of referrals, services and webhooks under /api/v1/."""

from __future__ import annotations

from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("referrals", views.ReferralViewSet, basename="referral")
router.register("services", views.ServiceViewSet, basename="service")
router.register("webhook-endpoints", views.WebhookEndpointViewSet, basename="webhook-endpoint")
router.register("webhook-deliveries", views.WebhookDeliveryViewSet, basename="webhook-delivery")

urlpatterns = router.urls
