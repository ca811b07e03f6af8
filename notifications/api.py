"""`GET /api/v1/notifications/`: the user's own notifications, newest first, each with its
sentence in the user's language; `POST /api/v1/notifications/read/` marks them read."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from ctms.rest import ReadOnlyViewSet

from .models import Notification
from .selectors import notifications_visible_to
from .services import notifications_mark_read
from .wording import notification_text


class NotificationSerializer(serializers.ModelSerializer):
    text = serializers.SerializerMethodField()
    is_read = serializers.BooleanField(read_only=True)

    class Meta:
        model = Notification
        fields = ["id", "kind", "text", "link", "params", "created_at", "read_at", "is_read"]
        read_only_fields = fields

    def get_text(self, obj: Notification) -> str:
        return notification_text(obj)


class MarkReadSerializer(serializers.Serializer):
    ids = serializers.ListField(child=serializers.UUIDField(), required=False)


class NotificationViewSet(ReadOnlyViewSet):
    serializer_class = NotificationSerializer

    def get_queryset(self):
        return notifications_visible_to(self.request.user).select_related("user")

    @extend_schema(request=MarkReadSerializer, responses={200: MarkReadSerializer})
    @action(detail=False, methods=["post"])
    def read(self, request):
        serializer = MarkReadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        ids = serializer.validated_data.get("ids")
        notifications_mark_read(user=request.user, ids=ids)
        return Response({"ids": ids or []})


router = SimpleRouter()
router.register("notifications", NotificationViewSet, basename="notification")
urlpatterns = router.urls
