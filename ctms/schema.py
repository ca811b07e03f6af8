"""The OpenAPI schema as typed clients need it (drf-spectacular's AutoSchema, extended once for
every operation, so that a new resource gets all of this without a line of its own):

- every error status an operation can answer, with its JSON body (400, 401, 403, 404, 409,
  415, 422, 429), and `Retry-After` on 429;
- the `Idempotency-Key` request header on the operations that honour it (ctms.rest);
- every response field required (always present), except those a serializer lists in
  `omitted_for_some_readers` (fields a reader's access may leave out);
- one enum component per set of values, reused by the query parameters
  (`postprocess_reuse_enums`), and `minLength: 1` on free-text query parameters (an empty
  value is refused, see ctms.api_filters).
"""

from __future__ import annotations

from typing import Any

from drf_spectacular import openapi
from drf_spectacular.plumbing import ResolvedComponent, get_doc
from drf_spectacular.settings import spectacular_settings
from drf_spectacular.utils import OpenApiParameter

IDEMPOTENCY_KEY_PARAMETER = OpenApiParameter(
    "Idempotency-Key",
    {"type": "string", "maxLength": 255},
    OpenApiParameter.HEADER,
    required=False,
    description=(
        "Any unique string (at most 255 characters), e.g. a UUID. A retry with the same key and "
        "the same body gets the first answer, byte for byte, and changes nothing; the same key "
        "with another body is a 422. Keys are kept 24 hours."
    ),
)

_MESSAGE = {"type": "string", "description": "What went wrong, in the user's language."}
ERROR_COMPONENTS: dict[str, dict[str, Any]] = {
    "Error": {
        "type": "object",
        "description": "An error answer: `detail` says what went wrong.",
        "properties": {"detail": _MESSAGE},
        "required": ["detail"],
    },
    "ValidationError": {
        "type": "object",
        "description": (
            "A refused request: each key names a body field or a query parameter (or "
            "`non_field_errors`, or `detail` for a body that is not JSON) with its messages."
        ),
        "properties": {
            "detail": _MESSAGE,
            "non_field_errors": {"type": "array", "items": {"type": "string"}},
        },
        "additionalProperties": {},
    },
    "Conflict": {
        "type": "object",
        "description": (
            "The request conflicts with the record's state (`status` then says which), with a "
            "stored record, or with a request still running under the same Idempotency-Key."
        ),
        "properties": {"detail": _MESSAGE, "status": {"type": "string"}},
        "required": ["detail"],
    },
}

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def honours_idempotency_key(view, method: str) -> bool:
    """Whether the view replays POSTs sent with an `Idempotency-Key` (ctms.rest)."""
    return method == "POST" and getattr(view, "honours_idempotency_key", False)


def _shared_base_docstrings() -> set[str]:
    """Docstrings of ctms.rest's base classes: they say how the code works, not what an
    operation does, and must not become every resource's description."""
    # In the function: DRF loads this module (DEFAULT_SCHEMA_CLASS) while rest_framework.views,
    # which ctms.rest imports, is still being imported: a start-up cycle.
    from . import rest

    return {
        get_doc(value)
        for value in vars(rest).values()
        if isinstance(value, type) and value.__module__ == rest.__name__
    }


class AutoSchema(openapi.AutoSchema):
    def get_description(self):
        description = super().get_description()
        return "" if description in _shared_base_docstrings() else description
    def get_override_parameters(self):
        parameters = super().get_override_parameters()
        if honours_idempotency_key(self.view, self.method):
            parameters = [*parameters, IDEMPOTENCY_KEY_PARAMETER]
        return parameters

    def _get_filter_parameters(self):
        """Free-text filters with a length limit say so (a longer value is refused)."""
        parameters = super()._get_filter_parameters()
        filterset_class = None
        for backend in self.get_filter_backends():
            if hasattr(backend, "get_filterset_class"):
                queryset = getattr(self.view, "queryset", None)
                try:
                    filterset_class = backend().get_filterset_class(self.view, queryset)
                except Exception:  # noqa: BLE001 - a view that needs a request: no limits
                    filterset_class = None
        filters = getattr(filterset_class, "base_filters", {}) if filterset_class else {}
        for parameter in parameters:
            limit = getattr(filters.get(parameter["name"]), "extra", {}).get("max_length")
            if limit and parameter.get("schema", {}).get("type") == "string":
                parameter["schema"]["maxLength"] = limit
        return parameters

    def _error_statuses(self) -> dict[str, tuple[str, str]]:
        """status → (component, description) of the errors this operation can answer."""
        statuses = {
            "400": ("ValidationError", "Malformed or refused input (the body names it)"),
            "401": ("Error", "No valid credentials (a missing, expired or revoked token)"),
            "403": ("Error", "The role or agency of the caller may not do this"),
            "404": ("Error", "No such record, or one the caller may not see"),
        }
        if self.method in WRITE_METHODS:
            statuses["409"] = ("Conflict", "Conflicts with the record's state or a stored record")
        if self.method in {"POST", "PUT", "PATCH"} and self.get_request_serializer() is not None:
            statuses["415"] = ("Error", "The body is not of a media type this operation takes")
        if honours_idempotency_key(self.view, self.method):
            statuses["422"] = ("Error", "This Idempotency-Key was used with another request")
        statuses["429"] = ("Error", "Too many requests: retry after `Retry-After` seconds")
        return statuses

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for status, (name, description) in self._error_statuses().items():
            if status in responses:
                continue
            component = ResolvedComponent(
                name=name,
                type=ResolvedComponent.SCHEMA,
                schema=ERROR_COMPONENTS[name],
                object=f"ctms.schema.{name}",
            )
            self.registry.register_on_missing(component)
            headers = self._get_response_headers_for_code(status, direction)
            responses[status] = {
                **({"headers": headers} if headers else {}),
                "content": {"application/json": {"schema": component.ref}},
                "description": description,
            }
        return responses

    def _get_response_headers_for_code(self, status_code, direction="response"):
        headers = super()._get_response_headers_for_code(status_code, direction)
        if str(status_code) == "429":
            headers["Retry-After"] = {
                "schema": {"type": "integer", "minimum": 0},
                "required": True,
                "description": "Seconds to wait before the next request.",
            }
        elif str(status_code).startswith("2") and honours_idempotency_key(self.view, self.method):
            headers["Idempotent-Replayed"] = {
                "schema": {"type": "string", "enum": ["true"]},
                "description": "Present on a replayed answer to a repeated Idempotency-Key.",
            }
        return headers

    def _map_basic_serializer(self, serializer, direction):
        schema = super()._map_basic_serializer(serializer, direction)
        if direction == "response":
            omitted = set(getattr(serializer, "omitted_for_some_readers", ()))
            required = [name for name in schema.get("properties", {}) if name not in omitted]
            if required:
                schema["required"] = required
            else:
                schema.pop("required", None)
        return schema


NO_NUL = "^[^\\x00]*$"  # a query value holding a NUL character is refused (Django forms)


def _walk(node: Any):
    """Every dict inside `node` (depth first)."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def _values(schema: dict) -> frozenset | None:
    enum = schema.get("enum")
    if not enum or schema.get("type") not in (None, "string"):
        return None
    return frozenset(value for value in enum if value not in ("", None))


def postprocess_reuse_enums(result, generator, request, public):
    """One component per set of enum values: duplicates (`RescuedPersonSexEnum` beside
    `SexEnum`) are merged into the preferred name, and a query parameter whose values are those
    of a component refers to it instead of declaring its own."""
    schemas = result.get("components", {}).get("schemas", {})
    preferred = set(spectacular_settings.ENUM_NAME_OVERRIDES)
    by_values: dict[frozenset, list[str]] = {}
    for name, schema in schemas.items():
        values = _values(schema)
        if values and name.endswith("Enum"):
            by_values.setdefault(values, []).append(name)
    canonical: dict[frozenset, str] = {}
    renamed: dict[str, str] = {}
    for values, names in by_values.items():
        keep = min(names, key=lambda name: (name not in preferred, len(name), name))
        canonical[values] = keep
        for name in names:
            if name != keep:
                renamed[name] = keep
    prefix = "#/components/schemas/"
    for name in renamed:
        del schemas[name]
    for node in _walk(result):
        ref = node.get("$ref", "")
        if ref.startswith(prefix) and ref[len(prefix) :] in renamed:
            node["$ref"] = prefix + renamed[ref[len(prefix) :]]

    for path in result.get("paths", {}).values():
        for operation in path.values():
            for parameter in operation.get("parameters", []):
                if parameter.get("in") != "query":
                    continue
                schema = parameter.get("schema", {})
                target = schema.get("items", schema) if schema.get("type") == "array" else schema
                values = _values(target)
                if values in canonical and parameter["name"] != "ordering":
                    target.clear()
                    target["$ref"] = prefix + canonical[values]
                elif values is None and target.get("type") == "string":
                    if "format" not in target and "$ref" not in target:
                        target.setdefault("minLength", 1)
                        target.setdefault("pattern", NO_NUL)
    return result
