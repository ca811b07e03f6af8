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
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.plumbing import force_instance, is_serializer
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions, mixins, parsers, serializers, status, viewsets
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from . import errors
from .api_filters import filter_parameter_names
from .api_policies import Pagination
from .audit import audit_reads
from .models import IdempotencyKey
from .request_context import client_ip

logger = logging.getLogger(__name__)

IDEMPOTENCY_HEADER = "HTTP_IDEMPOTENCY_KEY"
IDEMPOTENCY_LIFETIME = dt.timedelta(hours=24)
# The API takes JSON bodies only (settings.REST_FRAMEWORK). A view or action that receives a
# file opts in to multipart with `parser_classes = UPLOAD_PARSERS` (or
# `@action(..., parser_classes=UPLOAD_PARSERS)`); the schema then declares multipart for it.
UPLOAD_PARSERS = [parsers.MultiPartParser]


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
    if isinstance(exc, errors.TransitionNotAllowed | errors.Conflict):
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
    elif isinstance(exc, exceptions.Throttled) and not exc.wait:
        # A 429 always says when to come back (DRF leaves it out when the rate was lowered
        # below what was already counted): the longest window of the view's throttles.
        view = context.get("view")
        windows = [getattr(t, "duration", 0) for t in (view.get_throttles() if view else [])]
        exc.wait = max([*windows, 1])
    return drf_exception_handler(exc, context)


class IdempotentReplay(Exception):
    """Raised before a handler runs when the request repeats an earlier one."""

    def __init__(self, response: HttpResponse):
        self.response = response


def _request_hash(request) -> str:
    try:
        body = request._request.body
    except Exception:  # noqa: BLE001 - a consumed stream: hash what DRF parsed instead
        body = json.dumps(request.data, sort_keys=True, default=str).encode()
    return hashlib.sha256(f"{request.method} {request.path}\n".encode() + body).hexdigest()


def _object_key(obj) -> str:
    return f"{obj._meta.label_lower}:{obj.pk}"


class IdempotencyMixin:
    """`Idempotency-Key` on POST: a retry with the same key (same user, same body) gets the
    first response, byte for byte, and creates nothing new; the same key with another body is
    a 422. A replay is a read: the record must still be visible to the caller (else 404), the
    personal data the first answer showed must still be visible (else 404 too), and it is
    audited like a fresh read."""

    honours_idempotency_key = True  # declared in the schema by ctms.schema

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
        self._check_replay_access(first, kwargs)
        replay = HttpResponse(
            bytes(first.response_content),
            status=first.response_status,
            content_type=first.response_content_type,
        )
        replay["Idempotent-Replayed"] = "true"
        raise IdempotentReplay(replay)

    def _check_replay_access(self, first: IdempotencyKey, kwargs) -> None:
        """404 unless the caller still sees the record the first answer was about and every
        record whose personal data it showed; those are audited as read (ApiViewSetMixin)."""
        if first.record_id:
            record = self.get_queryset().filter(pk=first.record_id).first()
            if record is None:
                raise Http404
            if first.revealed:
                self.revealed = []
                self.replay_representation(record)
                now_visible = {_object_key(obj): obj for obj in self.revealed}
                if not set(first.revealed) <= set(now_visible):
                    self.revealed = []
                    raise Http404
                self.revealed = [now_visible[key] for key in first.revealed]

    def replay_representation(self, record) -> None:
        """Serialize `record` as a fresh read would (what it reveals is noted, the output is
        thrown away). A view whose POST answers with another serializer overrides this."""
        self.get_serializer(record).data  # noqa: B018 - run for the records it reveals

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
                # The rendered bytes, not the data: a replay is byte-identical.
                response.render()
                data = getattr(response, "data", None)
                row.response_status = response.status_code
                row.response_content = response.content
                row.response_content_type = response.get("Content-Type", "application/json")
                row.record_id = str(self.kwargs.get(self.lookup_url_kwarg or self.lookup_field) or (
                    data.get("id", "") if isinstance(data, dict) and response.status_code < 300
                    else ""
                ))
                row.revealed = [_object_key(obj) for obj in getattr(self, "audited", [])]
                row.save(
                    update_fields=[
                        "response_status",
                        "response_content",
                        "response_content_type",
                        "record_id",
                        "revealed",
                    ]
                )
        return response


def _override_query_names(view, method: str) -> set[str]:
    """Query parameters declared with `@extend_schema(parameters=[…])` on the handler."""
    handler = getattr(view, getattr(view, "action", None) or "", None) or getattr(
        view, method.lower(), None
    )
    schema_class = getattr(handler, "kwargs", {}).get("schema")
    if schema_class is None:
        return set()
    inspector = schema_class()
    inspector.view = view
    inspector.method = method
    names = set()
    for parameter in inspector.get_override_parameters():
        if isinstance(parameter, OpenApiParameter):
            if parameter.location == OpenApiParameter.QUERY and not parameter.response:
                names.add(parameter.name)
        elif is_serializer(parameter):
            names.update(force_instance(parameter).fields)
    return names


def declared_query_names(view, request) -> set[str]:
    """The query parameters the operation declares in the schema: those of its filters,
    ordering and pages on a list, and those of its `@extend_schema`."""
    names = _override_query_names(view, request.method)
    if getattr(view, "action", None) == "list" or (
        not hasattr(view, "action") and request.method == "GET"
    ):
        for backend in getattr(view, "filter_backends", []):
            instance = backend()
            if isinstance(instance, DjangoFilterBackend):
                filterset = instance.get_filterset(request, view.get_queryset().none(), view)
                if filterset is not None:
                    names |= filter_parameter_names(filterset)
            else:
                names |= {
                    parameter["name"]
                    for parameter in instance.get_schema_operation_parameters(view)
                }
        paginator = getattr(view, "paginator", None)
        if paginator is not None:
            names |= {p["name"] for p in paginator.get_schema_operation_parameters(view)}
    return names


class StrictQueryMixin:
    """A query parameter the operation does not declare is a 400 that names it: a typo in a
    filter name must not read as "no filter"."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        unknown = sorted(set(request.query_params) - declared_query_names(self, request))
        if unknown:
            raise exceptions.ValidationError(
                {name: [_("Unknown query parameter.")] for name in unknown}
            )


class ApiViewSetMixin(IdempotencyMixin, StrictQueryMixin):
    """What every CTMS viewset shares: idempotent POSTs, the audit context of a request, and
    query parameters checked against those the operation declares (ctms.schema)."""

    pagination_class = Pagination
    # A malformed id is a 404 (no such record), not a 400 or a database error.
    lookup_value_regex = (
        r"[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}"
    )

    @property
    def audit_context(self) -> dict[str, Any]:
        """Keyword arguments that tell the audit trail a write or read came through the API."""
        return {"channel": "api", "ip_address": client_ip(self.request)}

    def initial(self, request, *args, **kwargs):
        self.revealed: list = []
        self.audited: list = []
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
            self.audited = unique
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

    def patch_data(self, request) -> dict[str, Any]:
        """A PATCH body checked by the serializer as a partial change (the service the view
        calls checks the record whole)."""
        serializer = self.get_serializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def updated(self, record) -> Response:
        """The answer to a PATCH: the record as its reader now sees it."""
        return Response(self.get_serializer(self.get_queryset().get(pk=record.pk)).data)


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



class RevealsEachRecord:
    """A serializer mixin for records that are personal data in themselves (a suspect's name,
    a follow-up's outcome, a service's notes): every record shown is audited as read."""

    def to_representation(self, instance):
        reveal(self, instance)
        return super().to_representation(instance)


def code_list(choices, **kwargs) -> serializers.ListField:
    """A multi-value code field (stored as a JSON list) as a list of choices in the schema."""
    kwargs.setdefault("required", False)
    return serializers.ListField(child=serializers.ChoiceField(choices=choices.choices), **kwargs)


def country_list(**kwargs) -> serializers.ListField:
    kwargs.setdefault("required", False)
    return serializers.ListField(child=serializers.CharField(min_length=3, max_length=3), **kwargs)
