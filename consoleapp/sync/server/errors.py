"""Every 4xx says what was wrong and what to do; nothing becomes a 500 that a person caused."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException

from consoleapp.engine import DomainError
from consoleapp.engine import errors as codes
from consoleapp.store.repository import CorruptRow

log = logging.getLogger("consoleapp.server")

STATUS = {
    codes.NOT_FOUND: 404,
    codes.FORBIDDEN: 403,
    codes.ALREADY_EXISTS: 409,
    codes.INSUFFICIENT_CREDITS: 402,
    codes.INVALID: 422,
    codes.PRICE_TOO_LOW: 422,
    codes.PROMO_REFUSED: 422,
}


# What each refusal means, as the OpenAPI document says it (`responses(...)` on the routes).
WHY = {
    400: "the request cannot be used as sent (see the message)",
    401: "not logged in: the Bearer token is missing, unknown, revoked or expired",
    402: "not enough available credits (R11)",
    403: "this account may not do this (wrong role, closed account, someone else's client id)",
    404: "no such record, or it is not yours",
    409: "the engine refuses it in the record's current state, or it already exists",
    410: "gone: the meeting was cancelled or moved, or the link closed",
    413: "the request body is over the server's limit",
    422: "a field is not valid (text with a NUL character never is), or the engine finds the request not valid",
    425: "too early: the link opens later (`opens_at`)",
    426: "the app speaks another sync version; update the app",
    429: "too many failed logins; wait or reset the password",
    502: "an outside service (the payment provider) did not answer; nothing was done",
    503: "an outside service (the video platform) did not answer, or a stored record could not be read and the "
         "server rebuilt its tables from the log; nothing was done: try again in a minute",
}
# What a call that read a row that cannot be read (CorruptRow) is told; a page says what to do in
# a browser. Pages translate both this and CRASHED (`site.error_page`; the catalog has them).
REBUILT = "a stored record could not be read; the server rebuilt its tables from the log and nothing was changed: send it again"
REBUILT_PAGE = ("a stored record could not be read; the server rebuilt its tables from the log and nothing was changed: "
                "reload the page, or send the form again")
CRASHED = "the server failed; nothing was changed; try again or tell the operator"
# The statuses a refused engine command can answer (STATUS above, 409 for every other code).
REFUSED = (403, 404, 409, 422)


class ProblemDetail(BaseModel):
    model_config = ConfigDict(extra="allow")  # some refusals add fields, e.g. `opens_at`

    code: str = Field(description="a stable code programs branch on")
    message: str = Field(description="what was wrong and what to do, for a person")


class Problem(BaseModel):
    """The body of every 4xx and 5xx answer."""

    error: ProblemDetail


def responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """`responses=` for a route: each status with its meaning and the `Problem` body."""
    return {status: {"model": Problem, "description": WHY[status]} for status in sorted(set(statuses))}


def document(app: FastAPI) -> None:
    """Declare what the server's own machinery answers, so the OpenAPI document tells the truth.

    Every operation that needs a login (it carries `security`) may answer 401 and 403, every
    one with a body 400 (not parsable) and 413 (the body limit), every one 422 (a NUL character
    anywhere, see inputs.py), and every 422 has a `Problem` body: FastAPI would
    document its own validation body, which this server never sends. Route-specific refusals
    are declared on the routes themselves (`responses=`). Done on the finished document
    rather than on the routes, because included routers keep their routes to themselves.
    """
    generate = app.openapi
    patched: list[dict[str, Any]] = []

    def openapi() -> dict[str, Any]:
        schema = generate()
        if not patched or patched[0] is not schema:  # FastAPI builds it anew when routes change
            _declare_problems(schema)
            patched[:] = [schema]
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def _declare_problems(schema: dict[str, Any]) -> None:
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    for name, definition in Problem.model_json_schema(ref_template="#/components/schemas/{model}").pop("$defs", {}).items():
        components.setdefault(name, definition)
    components.setdefault("Problem", Problem.model_json_schema(ref_template="#/components/schemas/{model}"))
    problem_body = {"application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            answers = operation.setdefault("responses", {})
            needed = [401, 403] if operation.get("security") else []
            needed += [422]  # any path or query with a NUL character (inputs.py)
            needed += [400, 413] if "requestBody" in operation else []  # a body that is not JSON; too large
            for status in needed:
                answers.setdefault(str(status), {"description": WHY[status], "content": problem_body})
            validation = answers.get("422")
            if validation is not None and "HTTPValidationError" in str(validation.get("content")):
                answers["422"] = {"description": WHY[422], "content": problem_body}
    if "HTTPValidationError" not in str(schema.get("paths")):
        components.pop("HTTPValidationError", None)
        components.pop("ValidationError", None)


def problem(status: int, code: str, message: str, **extra: object) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message, **extra}}, status_code=status)


# The web pages answer their errors as pages (web/__init__.py installs it): a browser that asked
# for a page gets a page that says what happened, never a JSON body.
PageRenderer = Callable[[Request, int, str], Response]
page_errors: list[PageRenderer] = []


def _as_page(request: Request, status: int, message: str) -> Response | None:
    if not page_errors:
        return None
    wants_page = getattr(request.state, "page", False) or (
        request.method == "GET" and "text/html" in request.headers.get("accept", "")
        and request.scope.get("route") is None)  # a browser on an address that does not exist
    return page_errors[0](request, status, message) if wants_page else None


def install(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def domain(request: Request, exc: DomainError) -> Response:
        status = STATUS.get(exc.code, 409)
        return _as_page(request, status, exc.message) or problem(status, exc.code, exc.message)

    @app.exception_handler(RequestValidationError)
    async def validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        found = list(exc.errors())
        broken = next((err for err in found if err.get("type") == "json_invalid"), None)
        if broken is not None:  # not a field's fault: the whole body could not be read (the document says 400)
            why = str((broken.get("ctx") or {}).get("error", "")).lower()
            return problem(400, "bad_json", f"the body is not valid JSON: {why or 'it could not be read'}; "
                                            "send one JSON object")
        message = "; ".join(dict.fromkeys(refusal_sentence(err) for err in found))
        return problem(422, "invalid", message or "the request body is not valid")

    @app.exception_handler(HTTPException)
    async def http(request: Request, exc: HTTPException) -> Response:
        body = exc.detail if isinstance(exc.detail, dict) and "code" in exc.detail else {
            "code": f"http_{exc.status_code}", "message": str(exc.detail)}
        page = _as_page(request, exc.status_code, str(body.get("message", "")))
        return page or JSONResponse({"error": body}, status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(CorruptRow)
    async def corrupt(request: Request, exc: CorruptRow) -> Response:
        # The store has logged the row and rebuilds its tables from the log (`Store.repair`).
        return _as_page(request, 503, REBUILT_PAGE) or problem(503, "rebuilt", REBUILT)

    @app.exception_handler(Exception)
    async def crash(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error")
        message = CRASHED
        return _as_page(request, 500, message) or problem(500, "server_error", message)


# pydantic's error types as the product says them: what to send instead (`{...}` from the error's ctx).
_FIX = {
    "missing": "it is required; give it",
    "extra_forbidden": "not a known field; leave it out",
    "too_long": "give at most {max_length}",
    "too_short": "give at least {min_length}",
    "string_too_long": "give at most {max_length} characters",
    "string_too_short": "give at least {min_length} character(s)",
    "greater_than_equal": "give at least {ge}",
    "greater_than": "give more than {gt}",
    "less_than_equal": "give at most {le}",
    "less_than": "give less than {lt}",
    "int_parsing": "give a whole number", "int_type": "give a whole number", "int_from_float": "give a whole number",
    "float_parsing": "give a number", "float_type": "give a number",
    "bool_parsing": "give true or false", "bool_type": "give true or false",
    "string_type": "give text", "list_type": "give a list", "dict_type": "give a JSON object",
    "model_type": "give a JSON object", "model_attributes_type": "give a JSON object",
    "datetime_parsing": "give a date and time such as 2026-05-04T10:00:00+02:00",
    "datetime_type": "give a date and time such as 2026-05-04T10:00:00+02:00",
    "datetime_from_date_parsing": "give a date and time such as 2026-05-04T10:00:00+02:00",
    "timezone_aware": "give the time with its offset from UTC (its time zone), such as 2026-05-04T10:00:00+02:00",
    "date_parsing": "give a date such as 2026-05-04", "date_type": "give a date such as 2026-05-04",
    "date_from_datetime_parsing": "give a date such as 2026-05-04",
    "enum": "give one of {expected}", "literal_error": "give one of {expected}",
    "string_pattern_mismatch": "give a value of the form {pattern}",
}
_PLACES = ("body", "query", "path", "header", "cookie")


def refusal_sentence(err: Mapping[str, Any]) -> str:
    """'<field>: <what to fix>' for one of pydantic's errors, e.g. 'times: give at most 3 times'."""
    loc = [x for x in err.get("loc", ()) if x not in _PLACES]
    names = [str(x) for x in loc if not isinstance(x, int)]
    items = [x for x in loc if isinstance(x, int)]
    field = ".".join(names) or "body"
    where = f"{field} (item {items[-1] + 1})" if items else field
    kind, ctx = str(err.get("type", "")), dict(err.get("ctx") or {})
    template = _FIX.get(kind)
    if template is None:  # a validator's own sentence, or a type we have no words for
        text = str(err.get("msg", "is not valid")).removeprefix("Value error, ").removeprefix("Assertion failed, ")
        return f"{where}: {text[:1].lower()}{text[1:]}"
    if kind in ("too_long", "too_short"):
        template += " " + (names[-1] if names else "items")
    try:
        return f"{where}: {template.format(**ctx)}"
    except (KeyError, IndexError):
        return f"{where}: {template.split(' {')[0]}"


def fail(status: int, code: str, message: str) -> HTTPException:
    return HTTPException(status, {"code": code, "message": message})
