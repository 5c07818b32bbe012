"""The OpenAPI 3.1 document of the JSON API, served at /api/v1/openapi.json.

Hand-written, next to the code it describes (`webapp.api`); `tests/webapp/test_api.py`
checks every documented response of the happy paths against these schemas, and that the
documented paths and parameters are the ones the app serves.
"""
from __future__ import annotations

import copy
from typing import Any

from matching import texts, themes
from matching.model import Benefit, Kind, Requirement, Support

from .catalogue import MAX_QUERY, REMOTE_CHOICES


def _nullable(kind: str, **extra: Any) -> dict[str, Any]:
    return {"type": [kind, "null"], **extra}


def _strings(**extra: Any) -> dict[str, Any]:
    return {"type": "array", "items": {"type": "string", **extra}}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _error(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": _ref("Error")}}}


def _ok(description: str, schema: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": _ref(schema)}}}


def _query(name: str, description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "description": description, "schema": schema}


_OPENING = {
    "type": "object",
    "description": "The public fields of an open opening: what its page on the site shows.",
    "required": ["ref", "title", "description", "association", "kind", "themes", "municipality", "remote",
                 "schedule", "start_date", "end_date", "capacity", "places_left", "min_age", "max_age",
                 "languages", "requirements", "support", "benefits", "url"],
    "properties": {
        "ref": {"type": "string", "description": "The opening's identifier, as in /openings/{ref}."},
        "title": {"type": "string"},
        "description": {"type": "string"},
        "association": {"type": "object", "required": ["id", "name"],
                        "properties": {"id": {"type": "integer"}, "name": {"type": "string"}}},
        "kind": _nullable("string", description="A kind code: " + ", ".join(k.value for k in Kind)),
        "themes": _strings(description="Theme ids."),
        "municipality": _nullable("string", description="Finnish name of the municipality."),
        "remote": {"type": "boolean"},
        "schedule": _strings(description="Times as written, e.g. 'ke 16-19'."),
        "start_date": _nullable("string", format="date"),
        "end_date": _nullable("string", format="date"),
        "capacity": _nullable("integer", minimum=1),
        "places_left": _nullable("integer", minimum=0, description="Null when the capacity is open-ended."),
        "min_age": _nullable("integer"),
        "max_age": _nullable("integer"),
        "languages": _strings(description="Language codes such as fi, sv, en."),
        "requirements": _strings(description="Codes: " + ", ".join(r.value for r in Requirement)),
        "support": _strings(description="Codes: " + ", ".join(s.value for s in Support)),
        "benefits": _strings(description="Codes: " + ", ".join(b.value for b in Benefit)),
        "url": {"type": "string", "description": "The opening's page on this site (a path)."},
    },
}

_DOCUMENT: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {
        "title": "Polku API",
        "version": "1.0.0",
        "description": (
            "Read side of Polku's JSON API: the open openings of the public directory and the signed-in "
            "youth's matches. Only open openings are public. Matches use the session cookie of a youth "
            "signed in on the site. Every error, 4xx or 5xx, is an Error object in English. All endpoints "
            "are GET and need no CSRF token; state-changing endpoints (not yet here) will."),
    },
    "servers": [{"url": "/api/v1"}],
    "paths": {
        "/openings": {"get": {
            "operationId": "listOpenings",
            "summary": "Open openings, newest first, with the public directory's search and filters.",
            "parameters": [
                _query("q", f"Words that must each appear in the title or description (at most {MAX_QUERY} "
                            "characters).", {"type": "string", "maxLength": MAX_QUERY}),
                _query("municipality", "A Finnish municipality, in Finnish or Swedish.", {"type": "string"}),
                _query("theme", "A theme id.", {"type": "string", "enum": sorted(themes.THEMES)}),
                _query("kind", "A kind of activity.", {"type": "string", "enum": [k.value for k in Kind]}),
                _query("remote", "Only remote (yes) or only on-site (no) openings.",
                       {"type": "string", "enum": list(REMOTE_CHOICES)}),
                _query("language", "A language code the opening uses.",
                       {"type": "string", "enum": sorted(texts.LANGUAGE_NAMES)}),
                _query("page", "Page number, from 1; past the last page the list is empty.",
                       {"type": "integer", "minimum": 1, "default": 1}),
                _query("per_page", "Openings per page.",
                       {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}),
            ],
            "responses": {"200": _ok("A page of open openings.", "OpeningPage"),
                          "400": _error("A parameter we cannot use; `field` names it.")},
        }},
        "/openings/{ref}": {"get": {
            "operationId": "getOpening",
            "summary": "One open opening.",
            "parameters": [{"name": "ref", "in": "path", "required": True, "schema": {"type": "string"}}],
            "responses": {"200": _ok("The opening.", "Opening"),
                          "404": _error("No open opening has this ref (drafts and closed ones included).")},
        }},
        "/matches": {"get": {
            "operationId": "listMatches",
            "summary": "The signed-in youth's best matches, best first, each with its reasons.",
            "security": [{"session": []}],
            "parameters": [
                _query("k", "How many matches.", {"type": "integer", "minimum": 1, "maximum": 100, "default": 10}),
                _query("lang", "Language of the reasons' texts.",
                       {"type": "string", "enum": list(texts.LANGS), "default": "fi"}),
            ],
            "responses": {
                "200": _ok("The matches.", "MatchList"),
                "400": _error("A parameter we cannot use; `field` names it."),
                "401": _error("Not signed in."),
                "403": _error("Signed in, but not as a youth."),
                "409": _error("The youth's profile is missing or holds a value the engine cannot read."),
            },
        }},
        "/openapi.json": {"get": {
            "operationId": "getOpenApi",
            "summary": "This document.",
            "responses": {"200": {"description": "The OpenAPI document.",
                                  "content": {"application/json": {"schema": {"type": "object"}}}}},
        }},
    },
    "components": {
        "securitySchemes": {"session": {"type": "apiKey", "in": "cookie", "name": "session",
                                        "description": "The session cookie of a youth signed in on the site."}},
        "schemas": {
            "Opening": _OPENING,
            "OpeningPage": {
                "type": "object", "required": ["items", "page", "per_page", "total", "pages"],
                "properties": {
                    "items": {"type": "array", "items": _ref("Opening")},
                    "page": {"type": "integer", "minimum": 1},
                    "per_page": {"type": "integer", "minimum": 1, "maximum": 100},
                    "total": {"type": "integer", "minimum": 0, "description": "Openings passing the filters."},
                    "pages": {"type": "integer", "minimum": 1},
                },
            },
            "Reason": {
                "type": "object", "required": ["component", "contribution", "text"],
                "properties": {
                    "component": {"type": "string", "description": "The score component, e.g. interest, distance."},
                    "contribution": {"type": "number", "description": "Its part of the score."},
                    "text": {"type": "string", "description": "Why, in words of the requested language."},
                },
            },
            "Match": {
                "type": "object", "required": ["ref", "title", "url", "score", "reasons"],
                "properties": {
                    "ref": {"type": "string"},
                    "title": {"type": "string"},
                    "url": {"type": "string"},
                    "score": {"type": "number"},
                    "reasons": {"type": "array", "items": _ref("Reason")},
                },
            },
            "MatchList": {
                "type": "object", "required": ["items", "k", "lang"],
                "properties": {
                    "items": {"type": "array", "items": _ref("Match")},
                    "k": {"type": "integer", "minimum": 1, "maximum": 100},
                    "lang": {"type": "string", "enum": list(texts.LANGS)},
                },
            },
            "Error": {
                "type": "object", "required": ["error"],
                "properties": {"error": {
                    "type": "object", "required": ["code", "message"],
                    "properties": {
                        "code": {"type": "string", "description": "Machine-readable, e.g. bad_parameter, not_found."},
                        "message": {"type": "string", "description": "What went wrong, in English."},
                        "field": {"type": "string", "description": "The parameter at fault, when there is one."},
                    },
                }},
            },
        },
    },
}


for _path in _DOCUMENT["paths"].values():
    _path["get"]["responses"]["default"] = _error("Any other error: 404 and 405 for unknown paths and methods, "
                                                  "5xx. Always an Error object, never HTML.")


def document() -> dict[str, Any]:
    """A fresh copy of the OpenAPI document."""
    return copy.deepcopy(_DOCUMENT)
