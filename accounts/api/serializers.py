"""Serializers of the API tokens: the request for one, the answer and a token as listed."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from agencies.models import ApiToken


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, style={"input_type": "password"})
    name = serializers.CharField(
        max_length=100, required=False, default="default", help_text=_("The integration's name")
    )
    otp_code = serializers.CharField(
        max_length=10,
        required=False,
        default="",
        allow_blank=True,
        help_text=_("Code from the authenticator app: needed by roles with a second factor"),
    )


class IssuedTokenSerializer(serializers.Serializer):
    """The answer to a token request: the only time the token itself is shown."""

    id = serializers.UUIDField()
    token = serializers.CharField()
    name = serializers.CharField()
    prefix = serializers.CharField()
    expires_at = serializers.DateTimeField()


class ApiTokenSerializer(serializers.ModelSerializer):
    """A token as its owner lists it: never the token, only its first characters."""

    class Meta:
        model = ApiToken
        fields = ["id", "name", "prefix", "created_at", "expires_at", "revoked_at", "last_used_at"]
        read_only_fields = fields
