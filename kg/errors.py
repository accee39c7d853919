"""The project's exception hierarchy. No HTTP codes here: `api.errors` maps these to responses."""

from __future__ import annotations

from dataclasses import dataclass, field


class KnowledgeGraphError(Exception):
    """Base of every error the library raises on purpose."""


class InputError(KnowledgeGraphError):
    """The caller's input is wrong (bad syntax, unknown format, too large); nothing was changed."""


class RdfSyntaxError(InputError):
    """An RDF document does not parse; the message carries the line and column."""

    def __init__(self, message: str, *, line: int | None = None, column: int | None = None):
        super().__init__(message)
        self.line = line
        self.column = column


class QuerySyntaxError(InputError):
    """A SPARQL text does not parse."""


class ForbiddenQueryError(InputError):
    """A query asks for something the service refuses (e.g. SERVICE, an update through /sparql)."""


class QueryTimeoutError(KnowledgeGraphError):
    """A query ran past its time limit and was stopped."""


class NotFoundError(KnowledgeGraphError):
    """A named thing (graph, query, state) does not exist."""


class StoreUnavailableError(KnowledgeGraphError):
    """The store cannot be opened (missing folder, locked by another process)."""


@dataclass(frozen=True)
class Violation:
    """One SHACL result, in the words a user needs to fix the data."""

    focus_node: str
    path: str | None
    message: str
    severity: str
    source_shape: str | None
    value: str | None = None

    def __str__(self) -> str:
        where = f" {self.path}" if self.path else ""
        return f"{self.severity}: <{self.focus_node}>{where}: {self.message}"


@dataclass
class ValidationFailedError(InputError):
    """Data does not conform to the shapes; nothing was written."""

    violations: list[Violation] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(self.summary())

    def summary(self) -> str:
        return f"the data does not conform to the shapes: {len(self.violations)} violation(s)"


class NotAcceptableError(KnowledgeGraphError):
    """None of the formats a client accepts (by `Accept` or by name) is offered for this answer."""

    def __init__(self, *, media_types: list[str], names: list[str]):
        super().__init__(
            "none of the media types in Accept (or the format parameter) fits this answer; "
            f"offered: {', '.join(media_types)}"
        )
        self.media_types = media_types
        self.names = names


class UnauthorisedError(KnowledgeGraphError):
    """The request does not carry the credentials the operation needs."""


class OperationDisabledError(KnowledgeGraphError):
    """The operation is switched off on this server (e.g. updates without a configured token)."""
