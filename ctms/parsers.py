"""The API's JSON parser: the standard one, refusing text that cannot be stored and bodies
nested too deeply to decode.

JSON allows escapes of lone UTF-16 surrogates (`"\\ud800"`); Python decodes them into a string
that neither PostgreSQL nor SQLite can encode, so without this check such a body would reach the
database and fail there with a 500. It answers 400 instead, like any other malformed body.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


def _first_unencodable(value: Any, path: str = "") -> str | None:
    """The path of the first string (key or value) that is not valid Unicode, else None."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return path or "(body)"
        return None
    if isinstance(value, dict):
        for key, item in value.items():
            found = _first_unencodable(key, f"{path}.{key!r}") or _first_unencodable(
                item, f"{path}.{key}" if path else str(key)
            )
            if found:
                return found
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found = _first_unencodable(item, f"{path}[{index}]")
            if found:
                return found
    return None


class StrictJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
            where = _first_unencodable(data)
        except RecursionError as error:
            # Thousands of nested brackets exhaust Python's stack in the decoder: bad input.
            raise ParseError(_("JSON parse error - the body is nested too deeply.")) from error
        if where is not None:
            raise ParseError(
                _("JSON parse error - %(field)s holds a lone surrogate, which is not text.")
                % {"field": where}
            )
        return data
