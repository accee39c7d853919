"""States' responses from the UPR-Info CSV files in ../shared/data, and the files they must refuse."""

from __future__ import annotations

import csv
import html
from collections import Counter
from pathlib import Path

import pytest

from ingest.extract.upr_info_csv import CSV_RULE, read_upr_info_csv
from ingest.link.state_names import StateNames
from ingest.records import DocumentError

UPR_INFO = "upr/upr-info"
NOT_STATES = {"(Unknown)"}  # UPR Info's placeholder for a recommending State it could not name


def csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize("name", ["1-5.csv", "6-9.csv", "10-13.csv", "14-17.csv", "17-20.csv"])
def test_upr_info_files(shared_data: Path, names: StateNames, name: str) -> None:
    path = shared_data / UPR_INFO / name
    rows = csv_rows(path)
    responses = read_upr_info_csv(path, names=names)
    unknown_from = Counter(html.unescape(row["From"]) for row, r in zip(rows, responses) if not r.recommending_state)
    print(f"\n{name}: {len(rows)} rows, {len(responses)} responses {dict(Counter(r.position for r in responses))}; "
          f"recommending entries that are not States: {dict(unknown_from)}")
    assert len(responses) == len(rows)
    mapping = {"Accepted": "supported", "Noted": "noted"}
    assert [r.position for r in responses] == [mapping[row["Response"]] for row in rows]
    assert all(len(r.respondent) == 3 and r.respondent.isupper() for r in responses)
    assert set(unknown_from) <= NOT_STATES
    assert [r.action_category for r in responses] == [int(row["Action"]) for row in rows]
    assert all(r.rule == CSV_RULE and r.recommendation_paragraph == "" and r.text for r in responses)
    assert all(r.issues == [i.strip() for i in row["Issue"].split(",") if i.strip()] for row, r in zip(rows, responses))


def test_upr_info_pledges_are_not_responses(shared_data: Path, names: StateNames) -> None:
    with pytest.raises(DocumentError, match="voluntary pledges"):
        read_upr_info_csv(shared_data / UPR_INFO / "voluntary.csv", names=names)


HEADER = "To,To-Rgrp,To-Org,Text,From,From-Rgrp,From-Org,Response,Action,Issue,Session\n"


def write_csv(tmp_path: Path, body: str, header: str = HEADER) -> Path:
    path = tmp_path / "upr-info.csv"
    path.write_text(header + body, encoding="utf-8")
    return path


def test_upr_info_mapping_of_other_responses(tmp_path: Path, names: StateNames) -> None:
    path = write_csv(tmp_path, (
        'Peru,GRULAC,OAS,"Ratify ILO C169.",Norway,WEOG,,Rejected,5,"Indigenous peoples,Right to land",2\n'
        "Peru,GRULAC,OAS,Consult communities.,Mexico,GRULAC,OAS,Partially accepted,4,Indigenous peoples,2\n"
        "Peru,GRULAC,OAS,Share experience.,Peru,GRULAC,OAS,Voluntary Pledge,1,General,2\n"
        "Peru,GRULAC,OAS,Protect defenders.,&#40;Unknown&#41;,,,General Response,,Human rights defenders,2\n"
    ))
    responses = read_upr_info_csv(path, names=names)
    assert [(r.position, r.respondent, r.recommending_state, r.action_category) for r in responses] == [
        ("noted", "PER", "NOR", 5), ("partially-supported", "PER", "MEX", 4), ("noted", "PER", None, None),
    ]
    assert responses[0].issues == ["Indigenous peoples", "Right to land"]


@pytest.mark.parametrize(
    ("body", "header", "message"),
    [
        ("Peru,GRULAC,OAS,Text.,Chile,GRULAC,OAS,Maybe,5,General,2\n", HEADER, "unknown response 'Maybe'"),
        ("Atlantis,GRULAC,OAS,Text.,Chile,GRULAC,OAS,Accepted,5,General,2\n", HEADER, "'Atlantis' \\(row 2\\)"),
        ("Peru,GRULAC,OAS,Text.,Chile,GRULAC,OAS,Accepted,9,General,2\n", HEADER, "action category '9'"),
        ("Peru,Text,Accepted\n", "To,Text,Response\n", "missing columns"),
    ],
)
def test_upr_info_bad_files_are_refused(
    tmp_path: Path, names: StateNames, body: str, header: str, message: str
) -> None:
    with pytest.raises(DocumentError, match=message):
        read_upr_info_csv(write_csv(tmp_path, body, header), names=names)
