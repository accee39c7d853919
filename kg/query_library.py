"""Named SPARQL queries kept as data in `queries/*.rq`, one query per file.

Each file starts with a grlc-style header of `#+` lines holding YAML, then the query:

    #+ summary: Treaties a State is party to, with the kind and date of its consent
    #+ params:
    #+   - name: iso3
    #+     type: string
    #+     description: ISO 3166-1 alpha-3 code, e.g. PER
    SELECT ...

Parameters are bound as typed terms (pyoxigraph `substitutions`), never formatted into the text.
pyoxigraph binds only variables of the SELECT projection, so a query projects its parameters.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml
from pyoxigraph import Literal, NamedNode, Variable

from kg.errors import InputError, NotFoundError

HEADER_MARK = "#+"
XSD = "http://www.w3.org/2001/XMLSchema#"
PARAMETER_TYPES = ("string", "iri", "integer", "date")


@dataclass(frozen=True)
class QueryParameter:
    name: str
    type: str
    description: str
    required: bool = True

    def term(self, raw: str) -> NamedNode | Literal:
        """Turn a caller's text into the typed RDF term this parameter takes."""
        try:
            if self.type == "iri":
                return NamedNode(raw)
            if self.type == "integer":
                return Literal(str(int(raw)), datatype=NamedNode(XSD + "integer"))
            if self.type == "date":
                return Literal(raw, datatype=NamedNode(XSD + "date"))
        except ValueError as error:
            raise InputError(f"parameter '{self.name}' must be a valid {self.type}: {error}") from None
        return Literal(raw)


@dataclass(frozen=True)
class NamedQuery:
    name: str
    summary: str
    text: str
    description: str = ""
    parameters: tuple[QueryParameter, ...] = field(default_factory=tuple)

    def substitutions(self, arguments: dict[str, str]) -> dict[Variable, NamedNode | Literal]:
        """Bind the caller's arguments; refuse unknown or missing ones with a message."""
        known = {parameter.name: parameter for parameter in self.parameters}
        unknown = sorted(set(arguments) - set(known))
        if unknown:
            raise InputError(f"query '{self.name}' has no parameter {', '.join(unknown)}")
        bound = {}
        for parameter in self.parameters:
            if parameter.name in arguments:
                bound[Variable(parameter.name)] = parameter.term(arguments[parameter.name])
            elif parameter.required:
                raise InputError(f"query '{self.name}' needs the parameter '{parameter.name}'")
        return bound


def parse_named_query(path: Path) -> NamedQuery:
    """Read one `.rq` file with its `#+` YAML header."""
    lines = path.read_text(encoding="utf-8").splitlines()
    header = [line[len(HEADER_MARK):] for line in lines if line.startswith(HEADER_MARK)]
    body = "\n".join(line for line in lines if not line.startswith(HEADER_MARK)).strip() + "\n"
    meta = yaml.safe_load("\n".join(header)) or {}
    parameters = tuple(
        QueryParameter(
            name=item["name"],
            type=item.get("type", "string"),
            description=item.get("description", ""),
            required=item.get("required", True),
        )
        for item in meta.get("params", [])
    )
    for parameter in parameters:
        if parameter.type not in PARAMETER_TYPES:
            raise ValueError(f"{path.name}: parameter {parameter.name} has unknown type {parameter.type}")
    return NamedQuery(
        name=path.stem,
        summary=meta.get("summary", ""),
        description=meta.get("description", ""),
        parameters=parameters,
        text=body,
    )


class QueryLibrary:
    """All named queries of a folder, by name (the file name without `.rq`)."""

    def __init__(self, folder: Path):
        self.queries = {query.name: query for query in map(parse_named_query, sorted(folder.glob("*.rq")))}

    def __getitem__(self, name: str) -> NamedQuery:
        try:
            return self.queries[name]
        except KeyError:
            raise NotFoundError(f"no named query '{name}'") from None


@lru_cache(maxsize=4)
def query_library(folder: Path) -> QueryLibrary:
    return QueryLibrary(folder)
