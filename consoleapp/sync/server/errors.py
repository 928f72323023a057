"""Every 4xx says what was wrong and what to do; nothing becomes a 500 that a person caused."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from consoleapp.engine import DomainError
from consoleapp.engine import errors as codes

log = logging.getLogger("consoleapp.server")

STATUS = {
    codes.NOT_FOUND: 404,
    codes.FORBIDDEN: 403,
    codes.ALREADY_EXISTS: 409,
    codes.INSUFFICIENT_CREDITS: 402,
    codes.INVALID: 422,
    codes.PRICE_TOO_LOW: 422,
}


def problem(status: int, code: str, message: str, **extra: object) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message, **extra}}, status_code=status)


def install(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def domain(_: Request, exc: DomainError) -> JSONResponse:
        return problem(STATUS.get(exc.code, 409), exc.code, exc.message)

    @app.exception_handler(RequestValidationError)
    async def validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        parts = []
        for err in exc.errors():
            where = ".".join(str(x) for x in err.get("loc", ()) if x != "body") or "body"
            parts.append(f"{where}: {err.get('msg', 'is not valid')}")
        return problem(422, "invalid", "; ".join(parts) or "the request body is not valid")

    @app.exception_handler(HTTPException)
    async def http(_: Request, exc: HTTPException) -> JSONResponse:
        body = exc.detail if isinstance(exc.detail, dict) and "code" in exc.detail else {
            "code": f"http_{exc.status_code}", "message": str(exc.detail)}
        return JSONResponse({"error": body}, status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(Exception)
    async def crash(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error")
        return problem(500, "server_error", "the server failed; nothing was changed; try again or tell the operator")


def fail(status: int, code: str, message: str) -> HTTPException:
    return HTTPException(status, {"code": code, "message": message})
