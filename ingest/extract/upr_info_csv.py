"""States' responses to UPR recommendations from UPR-Info-style CSV files.

Those files (`To,To-Rgrp,To-Org,Text,From,From-Rgrp,From-Org,Response,Action,Issue,Session`) give one
recommendation per row with the State's response but no paragraph number: their rows are matched
to recommendations by text when they are ingested (`ingest.upr_info`). A CSV file is a table, not
a UN document, so it is taken by its suffix and header rather than by a recognised document kind.
"""

from __future__ import annotations

import csv
import html
from pathlib import Path

from ingest.extract.base import NameResolver
from ingest.extract.layout import collapse
from ingest.records import DocumentError, ResponseRecord

CSV_RULE = "mwg.responses.upr-info-csv.v1"
UPR_INFO_COLUMNS = (
    "To", "To-Rgrp", "To-Org", "Text", "From", "From-Rgrp", "From-Org", "Response", "Action", "Issue", "Session",
)
UPR_INFO_HEADER = ",".join(UPR_INFO_COLUMNS[:5])  # what the first line of such a file starts with

CSV_POSITIONS = {
    "accepted": "supported",
    "supported": "supported",
    "accepted/supported": "supported",
    "noted": "noted",
    "rejected": "noted",
    "not accepted": "noted",
    "general response": "noted",  # UPR Info counts a reply that takes no position as noted
    "no response": "noted",
    "partially accepted": "partially-supported",
    "partially supported": "partially-supported",
    "already implemented": "already-implemented",
    "pending": "to-be-examined",
    "to be examined": "to-be-examined",
}
CSV_NOT_RESPONSES = {"voluntary pledge"}  # the State's own pledge, not an answer to a recommendation


def map_csv_position(value: str, row_number: int) -> str | None:
    """`Accepted` -> supported, `Noted` -> noted (see CSV_POSITIONS); a voluntary pledge -> None."""
    key = collapse(value).lower()
    if key in CSV_NOT_RESPONSES:
        return None
    if key not in CSV_POSITIONS:
        raise DocumentError(
            f"row {row_number}: unknown response '{value}'; expected one of {', '.join(sorted(CSV_POSITIONS))}"
        )
    return CSV_POSITIONS[key]


def parse_action_category(value: str, row_number: int) -> int | None:
    """UPR Info's action category, 1 (minimal action) to 5 (specific action); empty -> None."""
    if not value.strip():
        return None
    if value.strip() not in {"1", "2", "3", "4", "5"}:
        raise DocumentError(f"row {row_number}: action category '{value}' is not 1 to 5")
    return int(value)


def read_upr_info_csv(path: Path, *, names: NameResolver) -> list[ResponseRecord]:
    """One response per row of a UPR-Info-style CSV (`To,To-Rgrp,To-Org,Text,From,…,Response,Action,Issue,Session`).

    `respondent` is the State under review (`To`), `recommending_state` the State that recommended
    (`From`; None for an entry such as `(Unknown)`), `text` the recommendation to match by. Values
    are HTML-unescaped (`&#40;Unknown&#41;`). Rows holding voluntary pledges are not responses and are
    left out; a file of pledges only, an unknown response value or an unresolved `To` is an error.
    """
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [column for column in UPR_INFO_COLUMNS if column not in (reader.fieldnames or [])]
            if missing:
                raise DocumentError(
                    f"{path.name}: not a UPR-Info-style file; missing columns {', '.join(missing)}", path=path
                )
            rows = list(reader)
    except UnicodeDecodeError as error:
        raise DocumentError(f"{path.name}: not UTF-8 text ({error.reason} at byte {error.start})", path=path) from None
    responses, unresolved, pledges = [], {}, 0
    for row_number, raw in enumerate(rows, start=2):
        row = {key: html.unescape(value or "") for key, value in raw.items() if key}
        position = map_csv_position(row["Response"], row_number)
        if position is None:
            pledges += 1
            continue
        respondent = names.resolve(row["To"])
        if not respondent:
            unresolved.setdefault(row["To"], row_number)
            continue
        responses.append(
            ResponseRecord(
                recommendation_paragraph="",
                position=position,
                respondent=respondent,
                rule=CSV_RULE,
                text=collapse(row["Text"]),
                recommending_state=names.resolve(row["From"]) if row["From"].strip() else None,
                action_category=parse_action_category(row["Action"], row_number),
                issues=[issue.strip() for issue in row["Issue"].split(",") if issue.strip()],
            )
        )
    if unresolved:
        listed = ", ".join(f"'{name}' (row {row})" for name, row in unresolved.items())
        raise DocumentError(f"{path.name}: States under review not recognised: {listed}", path=path)
    if not responses and pledges:
        raise DocumentError(
            f"{path.name}: holds {pledges} voluntary pledges and no responses to recommendations", path=path
        )
    return responses
