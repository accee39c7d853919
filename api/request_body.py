"""Request bodies, refused when too large before they are read."""

from __future__ import annotations

from fastapi import Request

from kg.input_guard import InputTooLargeError


async def read_body(request: Request, *, limit: int) -> bytes:
    """The request body, refused by its declared length, or as soon as it is known to exceed `limit` bytes."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise InputTooLargeError(f"the request body is {int(declared):,} bytes; the limit is {limit:,}")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise InputTooLargeError(f"the request body is larger than the limit of {limit:,} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def media_type_of(request: Request) -> str:
    """The request's `Content-Type` without parameters, lower case."""
    return request.headers.get("content-type", "").split(";")[0].strip().lower()
