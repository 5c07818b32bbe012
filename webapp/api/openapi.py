"""The OpenAPI 3.1 document of the JSON API, served at /api/v1/openapi.json.

Hand-written, next to the code it describes (`webapp.api.views`); `tests/webapp/test_api.py`
checks every documented response of the happy paths against these schemas, and that the
documented paths and parameters are the ones the app serves.
"""
from __future__ import annotations

import copy
from typing import Any

from matching import texts, themes
from matching.model import Benefit, Kind, Requirement, Support

from ..services.decisions import MAX_ID, REFERENCE_MAX_LENGTH
from ..services.catalogue import MAX_QUERY, REMOTE_CHOICES
from ..states import InterestState, OpeningStatus
from ..services.interest import NOTE_MAX_LENGTH
from ..services import messages, notices

CSRF_HEADER = "X-CSRFToken"


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


def _body(description: str, properties: dict[str, Any]) -> dict[str, Any]:
    return {"required": False, "description": description, "content": {"application/json": {"schema": {
        "type": "object", "additionalProperties": False, "properties": properties}}}}


_CSRF = {"$ref": "#/components/parameters/CsrfToken"}
_REF = {"name": "ref", "in": "path", "required": True, "schema": {"type": "string"}}
_INTEREST_ID = {"name": "interest_id", "in": "path", "required": True,
                "description": "The applicant's id, as in the applicants list.",
                "schema": {"type": "integer", "minimum": 1}}
_WRITE_ERRORS = {
    "400": _error("A body we cannot use: not JSON, not an object, an unknown field or a wrong type; `field` names "
                  "it."),
    "401": _error("Not signed in."),
    "403": _error("The X-CSRFToken header is missing or wrong (code csrf_failed), or the role may not do this."),
}


def _decision(summary: str, operation: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
    answer: dict[str, Any] = {
        "operationId": operation, "summary": summary, "security": [{"session": []}],
        "parameters": [_INTEREST_ID, _CSRF],
        "responses": {
            "200": _ok("The applicant, as it is now.", "Applicant"),
            **_WRITE_ERRORS,
            "403": _error("The X-CSRFToken header is missing or wrong (code csrf_failed), or not an association "
                          "member."),
            "404": _error("Your association has no applicant with this id (other associations' applicants "
                          "included)."),
            "409": _error("Refused by the rules, with nothing changed; `code` says why: full (no free place), "
                          "already_decided, withdrawn (the youth withdrew meanwhile), not_accepted, not_started "
                          "(completing before the opening's start date)."),
        },
    }
    if body is not None:
        answer["requestBody"] = body
    return {"post": answer}


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
            "Polku's JSON API: the open openings of the public directory; the signed-in youth's matches "
            "and interest; an association member's applicants and decisions on them. Only open openings are "
            "public. Authentication is the session cookie of a user signed in on the site. Every error, 4xx "
            "or 5xx, is an Error object in English.\n\n"
            "CSRF: every POST and DELETE must carry the header X-CSRFToken with the token GET /csrf returns "
            "for the same session; without it, or with a wrong one, the answer is 403 with code csrf_failed "
            "and field X-CSRFToken, whoever is signed in. This check comes before every other. GET requests "
            "change nothing and need no token.\n\n"
            "Accepting an applicant never goes beyond the opening's capacity, however many members accept at "
            "once: the one too many gets 409 full. Dropping an accepted youth frees the place; completing "
            "keeps it."),
    },
    "servers": [{"url": "/api/v1"}],
    "paths": {
        "/openings": {"get": {
            "operationId": "listOpenings",
            "summary": "Open openings, newest first (with q: best match first), with the public directory's "
                       "search and filters.",
            "parameters": [
                _query("q", "Words each opening must meet, read as the matching engine reads text: any "
                            "inflected or compound form, a close spelling, or a theme's name or synonym in "
                            f"Finnish, Swedish or English (at most {MAX_QUERY} characters).",
                       {"type": "string", "maxLength": MAX_QUERY}),
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
        "/csrf": {"get": {
            "operationId": "getCsrfToken",
            "summary": "The CSRF token of this session, for the X-CSRFToken header of POST and DELETE requests.",
            "responses": {"200": _ok("The token.", "CsrfToken")},
        }},
        "/openings/{ref}/interest": {
            "post": {
                "operationId": "expressInterest",
                "summary": "The signed-in youth expresses interest in an open opening, with an optional note to "
                           "the association. Again while interested: the same record, unchanged (note "
                           "included); after withdrawing: interested again, with the new note.",
                "security": [{"session": []}],
                "parameters": [_REF, _CSRF],
                "requestBody": _body("Optional.", {"message": {
                    "type": "string", "maxLength": NOTE_MAX_LENGTH,
                    "description": "A note to the association, shown with the youth's name."}}),
                "responses": {
                    "200": _ok("The youth's interest, now interested.", "Interest"),
                    **_WRITE_ERRORS,
                    "400": _error("A body we cannot use (not JSON, not an object, an unknown field, a wrong type) "
                                  "or a note that is too long; `field` names it."),
                    "403": _error("The X-CSRFToken header is missing or wrong (code csrf_failed), or not a youth."),
                    "404": _error("No open opening has this ref."),
                    "409": _error("Refused: the youth is not eligible (the message says which rules), the "
                                  "activity is already decided, or the account has no profile."),
                },
            },
            "delete": {
                "operationId": "withdrawInterest",
                "summary": "The signed-in youth withdraws their interest (only while it is interested).",
                "security": [{"session": []}],
                "parameters": [_REF, _CSRF],
                "responses": {
                    "200": _ok("The youth's interest, now withdrawn.", "Interest"),
                    **_WRITE_ERRORS,
                    "403": _error("The X-CSRFToken header is missing or wrong (code csrf_failed), or not a youth."),
                    "404": _error("No open or closed opening has this ref, or the youth never expressed interest "
                                  "in it."),
                    "409": _error("Refused: the association has already decided (accepted, declined, ...)."),
                },
            },
        },
        "/openings/{ref}/applicants": {"get": {
            "operationId": "listApplicants",
            "summary": "The applicants of one of the signed-in member's association's openings, oldest first. "
                       "Youths who withdrew are not listed; each shows only what the youth shares.",
            "security": [{"session": []}],
            "parameters": [_REF],
            "responses": {
                "200": _ok("The opening's places and its applicants.", "ApplicantList"),
                "401": _error("Not signed in."),
                "403": _error("Signed in, but not as an association member."),
                "404": _error("The member's association has no opening with this ref (other associations' "
                              "openings included)."),
            },
        }},
        "/applicants/{interest_id}/accept": _decision(
            "Accept an interested youth into a free place of the opening (filled + 1).", "acceptApplicant"),
        "/applicants/{interest_id}/decline": _decision("Decline an interested youth.", "declineApplicant"),
        "/applicants/{interest_id}/complete": _decision(
            "Mark an accepted youth's activity completed, with an optional written reference for the youth's "
            "work certificate. The place stays taken.", "completeApplicant",
            _body("Optional.", {"reference": {"type": "string", "maxLength": REFERENCE_MAX_LENGTH,
                                              "description": "A few words about the youth's work."}})),
        "/applicants/{interest_id}/drop": _decision(
            "Mark an accepted youth's activity dropped (ended early); frees the place (filled - 1).",
            "dropApplicant"),
        "/openapi.json": {"get": {
            "operationId": "getOpenApi",
            "summary": "This document.",
            "responses": {"200": {"description": "The OpenAPI document.",
                                  "content": {"application/json": {"schema": {"type": "object"}}}}},
        }},
    },
    "components": {
        "securitySchemes": {"session": {"type": "apiKey", "in": "cookie", "name": "session",
                                        "description": "The session cookie of a user signed in on the site."}},
        "parameters": {"CsrfToken": {
            "name": CSRF_HEADER, "in": "header", "required": True,
            "description": "The token from GET /csrf, for this same session.", "schema": {"type": "string"}}},
        "schemas": {
            "CsrfToken": {
                "type": "object", "required": ["csrf_token", "header"],
                "properties": {"csrf_token": {"type": "string"},
                               "header": {"type": "string", "enum": [CSRF_HEADER]}},
            },
            "Interest": {
                "type": "object", "description": "The signed-in youth's own interest in an opening.",
                "required": ["opening", "state", "message", "created_at", "updated_at"],
                "properties": {
                    "opening": {"type": "string", "description": "The opening's ref."},
                    "state": {"type": "string", "enum": [s.value for s in InterestState]},
                    "message": {"type": "string", "description": "The youth's note to the association."},
                    "created_at": {"type": "string", "format": "date-time"},
                    "updated_at": {"type": "string", "format": "date-time"},
                },
            },
            "SharedProfile": {
                "type": "object", "additionalProperties": False,
                "description": "Only the profile fields the youth chose to share; the others are absent. email is "
                               "the account's address.",
                "properties": {
                    "age": _nullable("integer"),
                    "interests": {"type": "string"},
                    "themes": _strings(description="Theme ids."),
                    "municipality": _nullable("string"),
                    "languages": _strings(description="Language codes."),
                    "kinds": _strings(description="Kind codes."),
                    "qualifications": _strings(description="Requirement codes the youth meets."),
                    "needs": _strings(description="Support codes."),
                    "goals": _strings(description="Benefit codes."),
                    "availability": _strings(description="Free times as written."),
                    "email": {"type": "string"},
                },
            },
            "Applicant": {
                "type": "object",
                "description": "What an association member sees of one youth's interest in their opening.",
                "required": ["id", "opening", "name", "message", "state", "created_at", "updated_at", "accepted_at",
                             "finished_at", "reference", "shared"],
                "properties": {
                    "id": {"type": "integer", "minimum": 1, "maximum": MAX_ID,
                           "description": "For /applicants/{interest_id}/..."},
                    "opening": {"type": "string", "description": "The opening's ref."},
                    "name": {"type": "string", "description": "The youth's display name (may be empty)."},
                    "message": {"type": "string", "description": "The youth's note."},
                    "state": {"type": "string", "enum": [s.value for s in InterestState if s.value != "withdrawn"]},
                    "created_at": {"type": "string", "format": "date-time"},
                    "updated_at": {"type": "string", "format": "date-time"},
                    "accepted_at": _nullable("string", format="date-time"),
                    "finished_at": _nullable("string", format="date-time",
                                             description="When the activity was completed or dropped."),
                    "reference": {"type": "string", "description": "The association's words on completion."},
                    "shared": _ref("SharedProfile"),
                },
            },
            "ApplicantList": {
                "type": "object", "required": ["opening", "items"],
                "properties": {
                    "opening": {"type": "object", "required": ["ref", "title", "status", "capacity", "filled"],
                                "properties": {"ref": {"type": "string"}, "title": {"type": "string"},
                                               "status": {"type": "string", "enum": [s.value for s in OpeningStatus]},
                                               "capacity": _nullable("integer", minimum=1),
                                               "filled": {"type": "integer", "minimum": 0}}},
                    "items": {"type": "array", "items": _ref("Applicant")},
                },
            },
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


# ---------------------------------------------------------------- conversations and notifications (`api.talk`)

def _conversation(who: str, id_means: str, operation: str) -> dict[str, Any]:
    """The GET and POST of one side's conversations (`who`: youth or member)."""
    parameter = {"name": "interest_id", "in": "path", "required": True, "description": id_means,
                 "schema": {"type": "integer", "minimum": 1}}
    missing = _error("You have no conversation with this id (other people's included; a withdrawn interest is "
                     "none for the association).")
    return {
        "get": {
            "operationId": f"get{operation}Conversation",
            "summary": f"The conversation between the youth and the opening's association, as the {who} sees it, "
                       "oldest message first.",
            "security": [{"session": []}],
            "parameters": [parameter],
            "responses": {
                "200": _ok("The conversation.", "Conversation"),
                "401": _error("Not signed in."),
                "403": _error(f"Signed in, but not as a {who}."),
                "404": missing,
            },
        },
        "post": {
            "operationId": f"post{operation}Message",
            "summary": "Write a message in the conversation; the other side gets a notification.",
            "security": [{"session": []}],
            "parameters": [parameter, _CSRF],
            "requestBody": {"required": True, "content": {"application/json": {"schema": {
                "type": "object", "additionalProperties": False, "required": ["body"],
                "properties": {"body": {"type": "string", "maxLength": messages.MAX_LENGTH,
                                        "description": "Plain text (shown escaped), trimmed, not empty."}}}}}},
            "responses": {
                "201": _ok("The message as stored.", "Message"),
                **_WRITE_ERRORS,
                "400": _error("A body we cannot use, or a message that is empty (code empty) or too long "
                              "(too_long); `field` is body."),
                "404": missing,
                "409": _error("The conversation is closed: the youth blocked the association (code blocked) or "
                              "withdrew their interest (closed)."),
                "429": _error(f"More than {messages.PER_MINUTE} messages in a minute from you (code too_many); "
                              "wait a minute."),
            },
        },
    }


_DOCUMENT["paths"].update({
    "/interests/{interest_id}/messages": _conversation(
        "youth", "The id of one of the signed-in youth's own interest records.", "Youth"),
    "/applicants/{interest_id}/messages": _conversation(
        "association member", "The applicant's id, as in the applicants list.", "Applicant"),
    "/notifications": {"get": {
        "operationId": "listNotifications",
        "summary": "The signed-in user's notifications, newest first, worded in `lang`.",
        "security": [{"session": []}],
        "parameters": [_query("page", "Page number, from 1.", {"type": "integer", "minimum": 1, "default": 1}),
                       _query("lang", "Language of `text`.", {"type": "string", "enum": ["fi", "sv", "en"],
                                                               "default": "fi"})],
        "responses": {
            "200": _ok("One page of notifications.", "NotificationPage"),
            "400": _error("A bad page or lang; `field` names it."),
            "401": _error("Not signed in."),
        },
    }},
    "/notifications/read": {"post": {
        "operationId": "readNotifications",
        "summary": "Mark the signed-in user's notifications read: those in `ids`, or all of them.",
        "security": [{"session": []}],
        "parameters": [_CSRF],
        "requestBody": _body("Optional.", {"ids": {"type": "string", "description": "Ids separated by commas."}}),
        "responses": {
            "200": {"description": "How many were unread and are now read.", "content": {"application/json": {
                "schema": {"type": "object", "required": ["marked"],
                           "properties": {"marked": {"type": "integer", "minimum": 0}}}}}},
            **_WRITE_ERRORS,
        },
    }},
})
_DOCUMENT["components"]["schemas"].update({
    "Message": {
        "type": "object", "required": ["id", "from", "body", "created_at"],
        "properties": {"id": {"type": "integer", "minimum": 1},
                       "from": {"type": "string", "enum": ["youth", "association"]},
                       "body": {"type": "string"}, "created_at": {"type": "string", "format": "date-time"}},
    },
    "Conversation": {
        "type": "object", "required": ["interest", "opening", "association", "closed", "items"],
        "properties": {"interest": {"type": "integer", "minimum": 1},
                       "opening": {"type": "string", "description": "The opening's ref."},
                       "association": {"type": "string", "description": "The association's name."},
                       "closed": {"type": "boolean", "description": "Blocked by the youth, or the interest was "
                                                                    "withdrawn: no more messages."},
                       "items": {"type": "array", "items": _ref("Message")}},
    },
    "Notification": {
        "type": "object", "required": ["id", "kind", "params", "text", "link", "created_at", "read_at"],
        "properties": {"id": {"type": "integer", "minimum": 1},
                       "kind": {"type": "string", "enum": sorted(notices.KINDS)},
                       "params": {"type": "object", "description": "What the text is made of (ids, titles)."},
                       "text": {"type": "string", "description": "The notification in words of `lang`."},
                       "link": {"type": "string", "description": "The page on the site it is about."},
                       "created_at": {"type": "string", "format": "date-time"},
                       "read_at": _nullable("string", format="date-time")},
    },
    "NotificationPage": {
        "type": "object", "required": ["items", "unread", "page", "pages", "lang"],
        "properties": {"items": {"type": "array", "items": _ref("Notification")},
                       "unread": {"type": "integer", "minimum": 0}, "page": {"type": "integer", "minimum": 1},
                       "pages": {"type": "integer", "minimum": 1},
                       "lang": {"type": "string", "enum": ["fi", "sv", "en"]}},
    },
})


for _path in _DOCUMENT["paths"].values():
    for _operation in _path.values():
        _operation["responses"]["default"] = _error("Any other error: 400 bad_input for a NUL character in any "
                                                    "input (`field` names it), 404 and 405 for unknown paths and "
                                                    "methods, 5xx. Always an Error object, never HTML.")


def document() -> dict[str, Any]:
    """A fresh copy of the OpenAPI document."""
    return copy.deepcopy(_DOCUMENT)
