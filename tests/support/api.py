"""The JSON API's answers as the tests check them: errors, and the OpenAPI document's schemas."""
from __future__ import annotations

import datetime as dt
from typing import Any

# Anna's profile, as the API tests make her.
YOUTH_PROFILE = {"ref": "y-anna", "age": 17, "interests": "Koirat ja eläimet, ulkoilu metsässä",
                 "themes": ["animals"], "municipality": "Oulu", "max_travel_km": 30, "remote_ok": True,
                 "languages": ["fi", "en"]}


def assert_error(response, status: int, field: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    error = response.get_json()["error"]
    assert isinstance(error["code"], str) and isinstance(error["message"], str) and error["message"]
    assert error.get("field") == field
    return error


def resolve(doc: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        node: Any = doc
        for part in schema["$ref"].removeprefix("#/").split("/"):
            node = node[part]
        schema = node
    return schema


_TYPES = {"object": dict, "array": list, "string": str, "boolean": bool, "null": type(None)}


def _is(value: Any, kind: str) -> bool:
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    return isinstance(value, _TYPES[kind])


def check(doc: dict[str, Any], schema: dict[str, Any], value: Any, where: str = "$") -> None:
    """The subset of JSON Schema the document uses: $ref, type, required, properties, items, enum, bounds, date."""
    schema = resolve(doc, schema)
    kinds = schema.get("type")
    if kinds is not None:
        kinds = [kinds] if isinstance(kinds, str) else kinds
        assert any(_is(value, k) for k in kinds), f"{where}: {value!r} is not {kinds}"
    if "enum" in schema:
        assert value in schema["enum"], f"{where}: {value!r} not in {schema['enum']}"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        assert value >= schema.get("minimum", value) and value <= schema.get("maximum", value), f"{where}: {value}"
    if isinstance(value, str) and schema.get("format") == "date":
        dt.date.fromisoformat(value)
    if isinstance(value, str) and schema.get("format") == "date-time":
        assert dt.datetime.fromisoformat(value).tzinfo is not None, f"{where}: {value!r} has no time zone"
    if isinstance(value, dict) and schema.get("additionalProperties") is False:
        assert set(value) <= set(schema.get("properties", {})), f"{where}: undocumented {set(value)}"
    if isinstance(value, dict):
        missing = set(schema.get("required", ())) - set(value)
        assert not missing, f"{where}: missing {missing}"
        properties = schema.get("properties", {})
        if properties:
            assert set(value) <= set(properties), f"{where}: undocumented {set(value) - set(properties)}"
        for key, item in value.items():
            if key in properties:
                check(doc, properties[key], item, f"{where}.{key}")
    if isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            check(doc, schema["items"], item, f"{where}[{i}]")
