"""Shared building blocks of the REST API (/api/v1/): pagination, throttling, the exception
handler, idempotent POSTs and the base viewset every resource derives from."""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
import logging
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from . import errors
from .api_policies import Pagination
from .audit import audit_reads
from .models import IdempotencyKey

logger = logging.getLogger(__name__)

IDEMPOTENCY_HEADER = "HTTP_IDEMPOTENCY_KEY"
IDEMPOTENCY_LIFETIME = dt.timedelta(hours=24)


def validation_messages(error: DjangoValidationError) -> dict[str, list[str]]:
    """A Django ValidationError as `{field: [message, …]}`; errors of no field go under
    `non_field_errors`, as DRF names them."""
    if hasattr(error, "error_dict"):
        return {
            (api_settings.NON_FIELD_ERRORS_KEY if field == "__all__" else field): messages
            for field, messages in error.message_dict.items()
        }
    return {api_settings.NON_FIELD_ERRORS_KEY: list(error.messages)}


class ModelRulesMixin:
    """Runs the model's `clean()` (its data rules, SPEC section 10) on what a client sent: DRF
    does not call it by itself. A broken rule is a 400 naming the field, with the message the
    browser form and the importer give."""

    def validate(self, attrs: dict) -> dict:
        attrs = super().validate(attrs)
        model = self.Meta.model
        names = {field.name for field in model._meta.concrete_fields}
        values = {name: value for name, value in attrs.items() if name in names}
        if isinstance(self.instance, model):  # an update: the stored record, as changed
            record = copy.copy(self.instance)
            for name, value in values.items():
                setattr(record, name, value)
        elif self.partial:  # a change of a record not at hand: the service checks it whole
            return attrs
        else:
            record = model(**values)
        try:
            record.clean()
        except DjangoValidationError as error:
            raise serializers.ValidationError(validation_messages(error)) from error
        return attrs


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Turn the domain errors of ctms.errors into statuses: 400 with a message per field, 404
    for anything the user may not see, 409 for a transition not allowed from the status."""
    if isinstance(exc, errors.TransitionNotAllowed):
        return Response(
            {"detail": str(exc), "status": exc.current_status}, status=status.HTTP_409_CONFLICT
        )
    if isinstance(exc, errors.NotFound):
        exc = Http404()
    elif isinstance(exc, DjangoValidationError):
        return Response(validation_messages(exc), status=status.HTTP_400_BAD_REQUEST)
    elif isinstance(exc, DjangoPermissionDenied) and exc.args:
        exc = exceptions.PermissionDenied(detail=str(exc.args[0]))
    elif isinstance(exc, IntegrityError):
        # A database constraint refused the write (e.g. a deportee report for the same month
        # twice): the input conflicts with stored data, it is not a server error.
        logger.info("integrity error answered as 409: %s", exc)
        return Response(
            {"detail": _("This conflicts with a record that already exists.")},
            status=status.HTTP_409_CONFLICT,
        )
    return drf_exception_handler(exc, context)


class IdempotentReplay(Exception):
    """Raised before a handler runs when the request repeats an earlier one."""

    def __init__(self, response: Response):
        self.response = response


def _request_hash(request) -> str:
    try:
        body = request._request.body
    except Exception:  # noqa: BLE001 - a consumed stream: hash what DRF parsed instead
        body = json.dumps(request.data, sort_keys=True, default=str).encode()
    return hashlib.sha256(f"{request.method} {request.path}\n".encode() + body).hexdigest()


class IdempotencyMixin:
    """`Idempotency-Key` on POST: a retry with the same key (same user, same body) gets the
    first response and creates nothing new; the same key with another body is a 422."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        key = request.META.get(IDEMPOTENCY_HEADER, "").strip()
        self._idempotency_row = None
        if request.method != "POST" or not key:
            return
        if len(key) > 255:
            raise exceptions.ValidationError({"Idempotency-Key": [_("At most 255 characters.")]})
        digest = _request_hash(request)
        now = timezone.now()
        # Expired keys of this user go now: the table stays small without a periodic job.
        IdempotencyKey.objects.filter(user=request.user, expires_at__lte=now).delete()
        try:
            with transaction.atomic():
                self._idempotency_row = IdempotencyKey.objects.create(
                    user=request.user,
                    key=key,
                    request_hash=digest,
                    expires_at=now + IDEMPOTENCY_LIFETIME,
                )
            return
        except IntegrityError:
            first = IdempotencyKey.objects.get(user=request.user, key=key)
        if first.request_hash != digest:
            raise IdempotentReplay(
                Response(
                    {"detail": _("This Idempotency-Key was used with another request.")},
                    status=status.HTTP_422_UNPROCESSABLE_ENTITY,
                )
            )
        if first.response_status is None:
            raise IdempotentReplay(
                Response(
                    {"detail": _("A request with this Idempotency-Key is still running.")},
                    status=status.HTTP_409_CONFLICT,
                )
            )
        replay = Response(first.response_body, status=first.response_status)
        replay["Idempotent-Replayed"] = "true"
        raise IdempotentReplay(replay)

    def handle_exception(self, exc):
        if isinstance(exc, IdempotentReplay):
            return exc.response
        try:
            return super().handle_exception(exc)
        except Exception:
            # A server error: no response to keep, and a retry with the key must run for real.
            row = getattr(self, "_idempotency_row", None)
            if row is not None:
                row.delete()
                self._idempotency_row = None
            raise

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        row = getattr(self, "_idempotency_row", None)
        if row is not None:
            self._idempotency_row = None
            if response.status_code >= 500 or response.status_code == 429:
                row.delete()  # nothing was done: let the retry run for real
            else:
                row.response_status = response.status_code
                row.response_body = json.loads(json.dumps(response.data, default=str))
                row.save(update_fields=["response_status", "response_body"])
        return response


class ApiViewSetMixin(IdempotencyMixin):
    """What every CTMS viewset shares: idempotent POSTs and the audit context of a request."""

    pagination_class = Pagination
    # A malformed id is a 404 (no such record), not a 400 or a database error.
    lookup_value_regex = (
        r"[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}"
    )

    @property
    def audit_context(self) -> dict[str, Any]:
        """Keyword arguments that tell the audit trail a write or read came through the API."""
        return {"channel": "api", "ip_address": self.request.META.get("REMOTE_ADDR")}

    def initial(self, request, *args, **kwargs):
        self.revealed: list = []
        super().initial(request, *args, **kwargs)

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        context["revealed"] = getattr(self, "revealed", None)
        return context

    def finalize_response(self, request, response, *args, **kwargs):
        """Every read of personal data is audited: one INSERT for the whole page."""
        revealed = getattr(self, "revealed", None)
        if revealed and response.status_code < 400:
            unique = list({(obj._meta.model_name, obj.pk): obj for obj in revealed}.values())
            audit_reads(actor=request.user, objects=unique, **self.audit_context)
            self.revealed = []
        return super().finalize_response(request, response, *args, **kwargs)


class ReadOnlyViewSet(ApiViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """List and retrieve, scoped by the selector that `get_queryset` calls."""


class CreateViewSet(
    ApiViewSetMixin,
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """List, retrieve and create (through the service `perform_create` calls)."""


class ViewSet(ApiViewSetMixin, viewsets.ModelViewSet):
    """List, retrieve, create and update through the services; never delete (records are
    archived or closed, not removed)."""

    http_method_names = ["get", "post", "patch", "head", "options"]


class ScopedRelatedField(serializers.PrimaryKeyRelatedField):
    """A reference to another record, looked up only among the records the user may see, so
    that an id of someone else's record reads exactly like an id that does not exist."""

    def __init__(self, *, selector, **kwargs):
        self.selector = selector
        kwargs.setdefault("pk_field", serializers.UUIDField())
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        user = getattr(request, "user", None)
        return self.selector(user)


def reveal(serializer: serializers.BaseSerializer, obj) -> None:
    """Note that a response shows personal data of `obj` (audited once the response is built)."""
    revealed = serializer.context.get("revealed")
    if revealed is not None:
        revealed.append(obj)


def code_list(choices, **kwargs) -> serializers.ListField:
    """A multi-value code field (stored as a JSON list) as a list of choices in the schema."""
    kwargs.setdefault("required", False)
    return serializers.ListField(child=serializers.ChoiceField(choices=choices.choices), **kwargs)


def country_list(**kwargs) -> serializers.ListField:
    kwargs.setdefault("required", False)
    return serializers.ListField(child=serializers.CharField(min_length=3, max_length=3), **kwargs)
