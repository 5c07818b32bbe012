"""The reference of the API under /api/v1, at /api/docs: the OpenAPI document as a readable page.

Its own blueprint, beside the API's: everything under /api/v1 stays JSON (unknown paths
there answer 404 JSON, and every route there is in the OpenAPI document).

No CDN and no renderer to vendor: the page is built from the same document as
/api/v1/openapi.json (`openapi.document`), so the two cannot drift. Each GET operation
has a small form that calls it from the browser (plain HTML, no JavaScript), so a
reader can try the API while reading about it.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Blueprint, render_template

from .openapi import document
from .views import PREFIX

bp = Blueprint("api_docs", __name__)

METHODS = ("get", "post", "put", "patch", "delete")


@dataclass(frozen=True)
class Parameter:
    name: str
    where: str
    required: bool
    kind: str
    description: str
    choices: tuple[str, ...]


@dataclass(frozen=True)
class Operation:
    """One method on one path, as the page lists it."""

    method: str
    path: str
    anchor: str
    summary: str
    description: str
    parameters: tuple[Parameter, ...]
    body: tuple[Parameter, ...]
    responses: tuple[tuple[str, str], ...]

    @property
    def url(self) -> str:
        return PREFIX + self.path

    @property
    def tryable(self) -> bool:
        """A GET without path parameters can be called from a plain form."""
        return self.method == "get" and "{" not in self.path


def _kind(schema: dict[str, Any]) -> str:
    kind = schema.get("type", "object" if "$ref" in schema else "")
    return " or ".join(kind) if isinstance(kind, list) else str(kind)


def _parameter(found: dict[str, Any], components: dict[str, Any]) -> Parameter:
    if "$ref" in found:
        found = components["parameters"][found["$ref"].rsplit("/", 1)[-1]]
    schema = found.get("schema", {})
    return Parameter(found["name"], found["in"], bool(found.get("required")), _kind(schema),
                     found.get("description", ""), tuple(str(c) for c in schema.get("enum", ())))


def _body(operation: dict[str, Any]) -> tuple[Parameter, ...]:
    content: dict[str, Any] = operation.get("requestBody", {}).get("content", {})
    media: dict[str, Any] = next(iter(content.values()), {})
    schema: dict[str, Any] = media.get("schema", {})
    required = set(schema.get("required", ()))
    return tuple(Parameter(name, "body", name in required, _kind(spec), spec.get("description", ""),
                           tuple(str(c) for c in spec.get("enum", ())))
                 for name, spec in schema.get("properties", {}).items())


def operations() -> list[Operation]:
    """Every operation of the OpenAPI document, in the document's order."""
    doc = document()
    components = doc.get("components", {})
    out = []
    for path, item in doc["paths"].items():
        for method in METHODS:
            if method not in item:
                continue
            op = item[method]
            out.append(Operation(
                method, path, op.get("operationId", f"{method}-{path}"), op.get("summary", ""),
                op.get("description", ""),
                tuple(_parameter(p, components) for p in item.get("parameters", []) + op.get("parameters", [])),
                _body(op),
                tuple((code, r.get("description", "")) for code, r in op.get("responses", {}).items())))
    return out


@bp.get("/api/docs")
def reference() -> str:
    doc = document()
    return render_template("api/reference.html", info=doc["info"], operations=operations(), prefix=PREFIX)
