"""Checks of `ontology/reference/treaty_actions.csv` (treaty actions of the 195 States).

Structure tests need nothing but the table. The other tests compare it with outside data in
`../shared/data/reference/` (skipped when absent):

- `treaties/world-politics-datalab_ratification/hr_status_<x>.csv`: a 2022 snapshot of the UN Treaty
  Collection for the 9 core treaties and 9 optional protocols (party / signatory / no action, year of
  ratification or accession). Our table is read "as of" the end of 2021 and the end of 2022: the
  snapshot agrees when it matches either, so actions dated after the snapshot are newer facts, not
  mismatches.
- `treaties/ilo_c169_ratifications_derived.csv`: the ratifications of ILO Convention No. 169.
- `treaties/escazu_agreement_status_excerpts.txt`: Escazú Agreement signatures and ratifications.

ISO alpha-2 codes of the snapshot are mapped to alpha-3 with
`countries/un_member_states_derived.csv`, inside the tests only.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from kg.reference_tables import read_table

TABLE = "treaty_actions.csv"
COLUMNS = ["state", "instrument", "kind", "date", "reservations", "note"]
INSTRUMENTS = {
    "ICERD", "ICCPR", "ICCPR-OP1", "ICCPR-OP2", "ICESCR", "OP-ICESCR", "CEDAW", "OP-CEDAW",
    "CAT", "OPCAT", "CRC", "OP-CRC-AC", "OP-CRC-SC", "OP-CRC-IC", "ICMW", "CPED", "CRPD",
    "OP-CRPD", "ILO-C169", "ESCAZU", "AARHUS",
}
CONSENT_KINDS = {"ratification", "accession", "succession", "acceptance", "approval",
                 "consent-to-be-bound"}
KINDS = CONSENT_KINDS | {"signature", "withdrawal"}
OBSERVER_STATES = {"VAT", "PSE"}

# Optional protocol -> its treaty, and whether a signatory (not only a party) of the treaty may
# become party to the protocol (CRC protocols, art. 9/13: "party to or signatory of the Convention").
PARENT = {
    "ICCPR-OP1": ("ICCPR", False),
    "ICCPR-OP2": ("ICCPR", False),
    "OP-ICESCR": ("ICESCR", False),
    "OP-CEDAW": ("CEDAW", False),
    "OPCAT": ("CAT", False),
    "OP-CRC-AC": ("CRC", True),
    "OP-CRC-SC": ("CRC", True),
    "OP-CRC-IC": ("CRC", True),
    "OP-CRPD": ("CRPD", False),
}

# hr_status_<suffix>.csv -> instrument key
SNAPSHOT_FILES = {
    "icerd": "ICERD", "iccpr": "ICCPR", "iccpr_op1": "ICCPR-OP1", "iccpr_op2": "ICCPR-OP2",
    "icescr": "ICESCR", "icescr_op": "OP-ICESCR", "cedaw": "CEDAW", "op_cedaw": "OP-CEDAW",
    "cat": "CAT", "opcat": "OPCAT", "crc": "CRC", "op_crc_ac": "OP-CRC-AC",
    "op_crc_sc": "OP-CRC-SC", "op_crc_ic": "OP-CRC-IC", "icmw": "ICMW", "cped": "CPED",
    "crpd": "CRPD", "op_crpd": "OP-CRPD",
}
SNAPSHOT_YEARS = (2021, 2022)  # the snapshot was taken during 2022
# Known faults of the snapshot files: East Timor under its old code TP; South Sudan as "S".
SNAPSHOT_ISO2_ALIASES = {"TP": "TL", "S": "SS"}

# Named, reasoned exceptions where the snapshot is wrong or reads the record differently.
# (instrument, state) -> why.  Keep this small; every entry must say why.
_MOLDOVA = ("snapshot fails to find 'Republic of Moldova' in several files (its own ICESCR row "
            "says so); Moldova signed or joined it (CRPD 2010, OPCAT 2006, OP-CEDAW 2006, "
            "CPED signed at the Paris ceremony 2007-02-06)")
_UK_TIE = ("snapshot counts the United Kingdom's pre-independence territorial application "
           "('Signature tied to the UK's'); the UN Treaty Collection lists no action by this State")
_DENOUNCED = "snapshot ignores the denunciation of the Protocol (see the withdrawal row)"
STATUS_EXCEPTIONS: dict[tuple[str, str], str] = {
    ("CPED", "MDA"): _MOLDOVA,
    ("CRPD", "MDA"): _MOLDOVA,
    ("OP-CEDAW", "MDA"): _MOLDOVA,
    ("OPCAT", "MDA"): _MOLDOVA,
    ("OP-CEDAW", "TZA"): "name not found ('United Republic of Tanzania'); Tanzania acceded in 2006 "
                         "(CEDAW decided communications against it, e.g. on inheritance, 2015)",
    ("OP-CRPD", "TZA"): "name not found ('United Republic of Tanzania'); party since 2009",
    ("ICCPR", "SLB"): _UK_TIE,
    ("ICCPR", "TUV"): _UK_TIE,
    ("ICESCR", "TUV"): _UK_TIE,
    ("ICERD", "BRN"): _UK_TIE,
    ("ICCPR-OP1", "JAM"): _DENOUNCED,
    ("ICCPR-OP1", "TTO"): _DENOUNCED,
    ("ICCPR-OP1", "SRB"): "snapshot says signatory; Serbia is a party (since 2001) and the Human "
                          "Rights Committee adopts views on communications against it",
    ("ICCPR-OP1", "MNG"): "snapshot says no action; Mongolia acceded on 1991-04-16",
    ("ICCPR-OP1", "NER"): "snapshot says no action (likely confused with Nigeria, not a party); "
                          "Niger acceded with the Covenant on 1986-03-07",
    ("OP-CEDAW", "COD"): "snapshot says signatory; the UNTC status list (IV-8-b) has no entry for "
                         "the Democratic Republic of the Congo",
    ("OP-CEDAW", "ZWE"): "row is internally inconsistent (status text 'state party' but no year "
                         "and 0 in every 0/1 column); Zimbabwe is not a party",
    ("OP-CRC-IC", "CPV"): "snapshot says no action; UNTC (IV-11-d) shows Cabo Verde's signature "
                          "of 2012-09-24",
    ("OP-ICESCR", "GHA"): "snapshot says no action; UNTC (IV-3-a) shows Ghana's signature of "
                          "2009-09-24",
    ("OP-CRPD", "ROU"): "snapshot says party since 2008, impossible: only a party to the CRPD may "
                        "ratify the Protocol and Romania ratified the CRPD in 2011; 2008 is the "
                        "Protocol's signature year",
    ("OP-CRPD", "SLB"): "snapshot says party since 2009, impossible: Solomon Islands has only "
                        "signed the CRPD (the snapshot agrees); 2009 is a signature year",
}
_SIGNATURE_YEAR = "snapshot gives the year of signature, not of ratification"
YEAR_EXCEPTIONS: dict[tuple[str, str], str] = {
    ("ICERD", "BRA"): _SIGNATURE_YEAR,  # signed 1966, ratified 1968
    ("ICERD", "GBR"): _SIGNATURE_YEAR,  # signed 1966, ratified 1969
    ("ICERD", "JAM"): _SIGNATURE_YEAR,  # signed 1966, ratified 1971
    ("ICERD", "MEX"): _SIGNATURE_YEAR,  # signed 1966, ratified 1975
    ("ICERD", "USA"): _SIGNATURE_YEAR,  # signed 1966, ratified 1994
    ("ICCPR", "ZAF"): _SIGNATURE_YEAR,  # signed 1994, ratified 1998
    ("CRPD", "GAB"): _SIGNATURE_YEAR,  # signed 2007, ratified 2014
    ("CRPD", "JOR"): _SIGNATURE_YEAR,  # signed 2007-03-30, ratified 2008-03-31
    ("OP-CRPD", "ARG"): _SIGNATURE_YEAR,  # UNTC: signed 2007-03-30, ratified 2008-09-02
    ("OP-CEDAW", "TUR"): _SIGNATURE_YEAR,  # signed 2000, ratified 2002
    ("ICERD", "DEU"): "snapshot gives the year of the German Democratic Republic's accession "
                      "(1973); the Federal Republic ratified in 1969",
    ("CRC", "SRB"): "snapshot gives the year of Yugoslavia's ratification (1991); Serbia's "
                    "succession is dated 2001",
    ("CRC", "PAK"): "Pakistan ratified the CRC on 1990-11-12 (1995 is not an action year)",
    ("CRC", "PAN"): "Panama ratified the CRC on 1990-12-12",
    ("CRC", "PLW"): "Palau, independent in 1994, acceded on 1995-08-04",
    ("CEDAW", "CPV"): "Cabo Verde acceded on 1980-12-05",
    ("CEDAW", "GMB"): "the Gambia signed in 1980 and ratified on 1993-04-16",
    ("CEDAW", "PHL"): "the Philippines ratified on 1981-08-05",
    ("CEDAW", "SGP"): "Singapore acceded on 1995-10-05",
    ("CPED", "HRV"): "Croatia ratified on 2011-05-31",
    ("ICCPR", "GNQ"): "Equatorial Guinea acceded on 1987-09-25",
    ("ICERD", "ATG"): "Antigua and Barbuda succeeded on 1988-10-25",
    ("ICERD", "ETH"): "Ethiopia acceded on 1976-06-23",
    ("OP-CRC-SC", "NZL"): "New Zealand signed in 2000 and ratified on 2011-09-20 (2001 is its "
                          "ratification year of the other Protocol)",
}

DATE_RE = re.compile(r"^\d{4}(-\d{2}-\d{2})?$")
MONTHS = {m: i for i, m in enumerate(
    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"], 1)}


# ---------------------------------------------------------------- helpers


def _rows(reference_dir: Path) -> list[dict[str, str]]:
    path = reference_dir / TABLE
    assert path.is_file(), f"{path} is missing"
    return read_table(path)


def _key(date: str) -> str:
    """Sortable form of a date or year (a bare year sorts as its first day)."""
    return date if len(date) == 10 else f"{date}-01-01"


RANK = {"signature": 0, "withdrawal": 1}  # consents rank 2: on one day, withdraw then re-accede


def _actions(rows) -> dict[tuple[str, str], list[dict[str, str]]]:
    by: dict[tuple[str, str], list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        by[(row["instrument"], row["state"])].append(row)
    for acts in by.values():
        acts.sort(key=lambda r: (_key(r["date"]), RANK.get(r["kind"], 2)))
    return by


def status_as_of(acts: list[dict[str, str]], year: int | None = None) -> str:
    """`party`, `signatory`, `withdrawn` or `none`, from the actions dated up to the end of `year`.

    The latest consent or withdrawal decides; a signature never undoes a consent, so a State whose
    only actions are signatures is a signatory."""
    if year is not None:
        acts = [a for a in acts if int(a["date"][:4]) <= year]
    binding = [a for a in acts if a["kind"] != "signature"]
    if binding:
        return "party" if binding[-1]["kind"] in CONSENT_KINDS else "withdrawn"
    return "signatory" if acts else "none"


def _consent_years(acts) -> set[int]:
    return {int(a["date"][:4]) for a in acts if a["kind"] in CONSENT_KINDS}


def _iso2_to_iso3(shared_data: Path) -> dict[str, str]:
    path = shared_data / "reference" / "countries" / "un_member_states_derived.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        return {r["iso_alpha2"]: r["iso_alpha3"] for r in csv.DictReader(handle)}


def _name_to_iso3(shared_data: Path) -> dict[str, str]:
    path = shared_data / "reference" / "countries" / "un_member_states_derived.csv"
    names: dict[str, str] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for r in csv.DictReader(handle):
            for name in [r["unterm_english_short"], r["name_common"], r["name_official"],
                         *r["alt_spellings"].split(";")]:
                if name.strip():
                    names[_norm_name(name)] = r["iso_alpha3"]
    return names


def _norm_name(name: str) -> str:
    name = re.sub(r"^St\.? ", "Saint ", name.strip())
    return re.sub(r"\s+", " ", name.replace(" (the)", "")).casefold()


def read_snapshot(shared_data: Path, suffix: str) -> dict[str, dict[str, str]]:
    """iso3 -> snapshot row, for UN Member States (rows of non-members are dropped)."""
    iso3 = _iso2_to_iso3(shared_data)
    path = (shared_data / "reference" / "treaties" / "world-politics-datalab_ratification"
            / f"hr_status_{suffix}.csv")
    out: dict[str, dict[str, str]] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            code = SNAPSHOT_ISO2_ALIASES.get(row["iso2"], row["iso2"])
            if code in iso3:
                out[iso3[code]] = row
    return out


def snapshot_status(row: dict[str, str]) -> str:
    """The `status` text: where it and the 0/1 columns disagree, the text is the corrected one."""
    return {"state party": "party", "signatory state": "signatory", "no action": "none"}[
        row["status"].strip()]


def compare_with_snapshot(rows, shared_data: Path, instrument: str):
    """Return (states compared, status mismatches, year mismatches, our party count at end 2021)."""
    suffix = {v: k for k, v in SNAPSHOT_FILES.items()}[instrument]
    snap = read_snapshot(shared_data, suffix)
    by = _actions(rows)
    status_bad, year_bad = [], []
    for state, srow in sorted(snap.items()):
        acts = by.get((instrument, state), [])
        theirs = snapshot_status(srow)
        ours = {status_as_of(acts, y) for y in SNAPSHOT_YEARS}
        ours = {"none" if s == "withdrawn" else s for s in ours}
        if theirs not in ours and (instrument, state) not in STATUS_EXCEPTIONS:
            status_bad.append(f"{state}: snapshot {theirs}, ours {sorted(ours)}")
        year = srow["year ratification or accession"].strip()
        if theirs == "party" and year and (instrument, state) not in YEAR_EXCEPTIONS:
            years = _consent_years(acts)
            if years and int(float(year)) not in years:
                year_bad.append(f"{state}: snapshot {int(float(year))}, ours {sorted(years)}")
    parties = sum(status_as_of(by.get((instrument, s), []), 2021) == "party" for s in snap)
    return len(snap), status_bad, year_bad, parties


# ---------------------------------------------------------------- structure


def test_columns(reference_dir):
    path = reference_dir / TABLE
    with path.open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    assert header == COLUMNS


def test_values_are_well_formed(reference_dir):
    bad = []
    for n, row in enumerate(_rows(reference_dir), 2):
        if not re.fullmatch(r"[A-Z]{3}", row["state"]):
            bad.append(f"line {n}: state {row['state']!r}")
        if row["instrument"] not in INSTRUMENTS:
            bad.append(f"line {n}: instrument {row['instrument']!r}")
        if row["kind"] not in KINDS:
            bad.append(f"line {n}: kind {row['kind']!r}")
        if row["reservations"] not in ("", "yes"):
            bad.append(f"line {n}: reservations {row['reservations']!r}")
        date = row["date"]
        if not DATE_RE.fullmatch(date):
            bad.append(f"line {n}: date {date!r}")
            continue
        try:
            parsed = dt.date.fromisoformat(_key(date))
        except ValueError:
            bad.append(f"line {n}: date {date!r} is not a calendar date")
            continue
        if not dt.date(1945, 1, 1) <= parsed <= dt.date.today():
            bad.append(f"line {n}: date {date!r} out of range")
    assert not bad, bad[:20]


def test_no_duplicate_actions(reference_dir):
    keys = Counter((r["state"], r["instrument"], r["kind"], r["date"])
                   for r in _rows(reference_dir))
    dups = [k for k, c in keys.items() if c > 1]
    assert not dups, dups[:20]


def test_sorted_by_state_instrument_date(reference_dir):
    keys = [(r["state"], r["instrument"], _key(r["date"])) for r in _rows(reference_dir)]
    unsorted = [keys[i + 1] for i in range(len(keys) - 1) if keys[i + 1] < keys[i]]
    assert not unsorted, unsorted[:20]


def test_state_codes_are_the_195_states(reference_dir):
    states = {r["state"] for r in _rows(reference_dir)}
    states_table = reference_dir / "states.csv"
    if states_table.is_file():
        known = {r["iso3"] for r in read_table(states_table)}
        assert states <= known, sorted(states - known)
    assert len(states) <= 195, len(states)


def test_state_codes_are_un_members_or_observers(reference_dir, shared_data):
    members = set(_iso2_to_iso3(shared_data).values())
    assert len(members) == 193
    states = {r["state"] for r in _rows(reference_dir)}
    unknown = states - members - OBSERVER_STATES
    assert not unknown, sorted(unknown)


def test_withdrawal_follows_consent(reference_dir):
    """No State withdraws from an instrument it was never bound by (signature-only and withdrawn)."""
    bad = []
    for (instrument, state), acts in _actions(_rows(reference_dir)).items():
        for i, act in enumerate(acts):
            if act["kind"] == "withdrawal" and not any(
                a["kind"] in CONSENT_KINDS for a in acts[:i]
            ):
                bad.append(f"{state} {instrument}")
    assert not bad, bad[:20]


def test_at_most_one_signature(reference_dir):
    bad = [f"{s} {i}" for (i, s), acts in _actions(_rows(reference_dir)).items()
           if sum(a["kind"] == "signature" for a in acts) > 1]
    assert not bad, bad[:20]


def test_signature_not_after_first_consent(reference_dir):
    """A signature precedes (or shares the day or year of) the first expression of consent."""
    bad = []
    for (instrument, state), acts in _actions(_rows(reference_dir)).items():
        sigs = [a["date"] for a in acts if a["kind"] == "signature"]
        consents = [a["date"] for a in acts if a["kind"] in CONSENT_KINDS]
        if sigs and consents:
            s, c = sigs[0], consents[0]
            if len(s) == 4 or len(c) == 4:
                s, c = s[:4], c[:4]
            if s > c:
                bad.append(f"{state} {instrument}: signed {sigs[0]}, bound {consents[0]}")
    assert not bad, bad[:20]


def test_ilo_conventions_are_not_signed(reference_dir):
    bad = [f"{r['state']} {r['kind']}" for r in _rows(reference_dir)
           if r["instrument"] == "ILO-C169" and r["kind"] != "ratification"]
    assert not bad, bad[:20]


def test_party_to_protocol_is_party_to_treaty(reference_dir):
    """A State bound by an optional protocol is bound by its treaty (or, for the CRC protocols,
    at least signed it) no later than the year of its consent to the protocol."""
    by = _actions(_rows(reference_dir))
    bad = []
    for (instrument, state), acts in by.items():
        if instrument not in PARENT:
            continue
        parent, signatory_enough = PARENT[instrument]
        for act in acts:
            if act["kind"] not in CONSENT_KINDS:
                continue
            year = int(act["date"][:4])
            parent_status = status_as_of(by.get((parent, state), []), year)
            if parent_status == "party" or (signatory_enough and parent_status == "signatory"):
                continue
            bad.append(f"{state} {instrument} {act['date']}: {parent} {parent_status}")
    assert not bad, bad[:20]


def test_every_instrument_is_covered(reference_dir):
    present = {r["instrument"] for r in _rows(reference_dir)}
    assert present == INSTRUMENTS, sorted(INSTRUMENTS - present)


def test_known_edge_cases(reference_dir):
    """Facts that a careless table gets wrong."""
    by = _actions(_rows(reference_dir))
    # DPRK notified withdrawal from the ICCPR in 1997; the UN holds it cannot be denounced.
    assert status_as_of(by[("ICCPR", "PRK")]) == "party"
    # The United States signed but never ratified the CRC, the ICESCR and CEDAW.
    for instrument in ("CRC", "ICESCR", "CEDAW"):
        assert status_as_of(by[(instrument, "USA")]) == "signatory", instrument
    # Jamaica and Trinidad and Tobago denounced the first Optional Protocol to the ICCPR.
    assert status_as_of(by[("ICCPR-OP1", "JAM")]) == "withdrawn"
    assert status_as_of(by[("ICCPR-OP1", "TTO")]) == "withdrawn"
    # Guyana withdrew and re-acceded on the same day (1999) with a reservation.
    assert status_as_of(by[("ICCPR-OP1", "GUY")]) == "party"


# ---------------------------------------------------------------- against the 2022 snapshot


@pytest.mark.parametrize("instrument", sorted(SNAPSHOT_FILES.values()))
def test_status_agrees_with_snapshot(reference_dir, shared_data, instrument):
    compared, status_bad, _, _ = compare_with_snapshot(
        _rows(reference_dir), shared_data, instrument)
    assert compared >= 192, compared
    assert not status_bad, f"{len(status_bad)} of {compared} disagree: {status_bad[:20]}"


@pytest.mark.parametrize("instrument", sorted(SNAPSHOT_FILES.values()))
def test_consent_year_agrees_with_snapshot(reference_dir, shared_data, instrument):
    _, _, year_bad, _ = compare_with_snapshot(_rows(reference_dir), shared_data, instrument)
    assert not year_bad, f"{len(year_bad)} disagree: {year_bad[:20]}"


# ---------------------------------------------------------------- ILO Convention No. 169


def test_ilo_c169_ratifications(reference_dir, shared_data):
    path = shared_data / "reference" / "treaties" / "ilo_c169_ratifications_derived.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        theirs = {r["iso_alpha3"]: r["ratification_date"] for r in csv.DictReader(handle)}
    ours = {r["state"]: r["date"] for r in _rows(reference_dir)
            if r["instrument"] == "ILO-C169" and r["kind"] == "ratification"}
    missing = sorted(set(theirs) - set(ours))
    extra = sorted(set(ours) - set(theirs))
    # the derived file sometimes gives only a month, with a comment: compare what it gives
    dates = sorted(f"{s}: {ours[s]} vs {theirs[s]}" for s in set(ours) & set(theirs)
                   if not ours[s].startswith(re.match(r"\d{4}(-\d{2}(-\d{2})?)?", theirs[s])[0]))
    assert not (missing or extra or dates), {"missing": missing, "extra": extra, "dates": dates}


# ---------------------------------------------------------------- Escazú Agreement


def _escazu_text(shared_data: Path) -> str:
    path = shared_data / "reference" / "treaties" / "escazu_agreement_status_excerpts.txt"
    return path.read_text(encoding="utf-8")


def _date(text: str) -> str:
    day, month, year = text.split()
    return f"{year}-{MONTHS[month]:02d}-{int(day):02d}"


D = r"\d{1,2} [A-Z][a-z]{2} \d{4}"


def parse_escazu_block1(text: str) -> dict[str, tuple[str | None, str | None, str | None]]:
    """Participant name -> (signature, consent, kind mark) from the UNTC table of block 1."""
    block = text.split("## [block 1]", 1)[1].split("## [block 2]", 1)[0]
    line = next(ln for ln in block.splitlines() if ln.startswith("Participant"))
    line = line.split("Accession(a)", 1)[1]
    line = re.sub(r"<superscript>\d+</superscript>", "", line)
    out = {}
    pattern = re.compile(
        rf"([A-Z][A-Za-z .()'-]*?)\s*({D})(?:\s+({D}))?(?:\s*(AA|A|a)(?=[A-Z]|\s|$))?")
    for name, first, second, mark in pattern.findall(line):
        if second:
            out[name.strip()] = (_date(first), _date(second), mark or None)
        elif mark:  # a lone date with a mark is an accession/acceptance/approval, no signature
            out[name.strip()] = (None, _date(first), mark)
        else:
            out[name.strip()] = (_date(first), None, None)
    return out


def parse_escazu_block2(text: str):
    """(signature, ratification) pairs of parties and signature dates of signatories (InforMEA)."""
    block = text.split("## [block 2]", 1)[1].split("# Reading of block 2", 1)[0]
    pairs, signatures, accessions = [], [], []
    for ln in block.splitlines():
        if m := re.fullmatch(rf"({D}) ({D}) \S+ ({D})", ln.strip()):
            pairs.append((_date(m[1]), _date(m[2])))
        elif m := re.fullmatch(rf"({D}) Signatory.*", ln.strip()):
            signatures.append(_date(m[1]))
        elif m := re.fullmatch(rf"({D}) Accession .*", ln.strip()):
            accessions.append(_date(m[1]))
    return pairs, signatures, accessions


def _escazu_ours(rows):
    by = _actions(rows)
    return {s: acts for (i, s), acts in by.items() if i == "ESCAZU"}


def test_escazu_untc_excerpt(reference_dir, shared_data):
    table = parse_escazu_block1(_escazu_text(shared_data))
    assert len(table) >= 20, table  # the parser must find the participants
    names = _name_to_iso3(shared_data)
    ours = _escazu_ours(_rows(reference_dir))
    latest = max(d for sig, con, _ in table.values() for d in (sig, con) if d)
    bad = []
    for name, (sig, consent, mark) in table.items():
        state = names.get(_norm_name(name))
        if state is None:
            bad.append(f"unmapped name {name!r}")
            continue
        acts = ours.get(state, [])
        our_sig = [a["date"] for a in acts if a["kind"] == "signature"]
        our_con = [a for a in acts if a["kind"] in CONSENT_KINDS]
        if sig and our_sig != [sig]:
            bad.append(f"{state}: signature {sig} vs ours {our_sig}")
        if not sig and our_sig:
            bad.append(f"{state}: no signature in UNTC, ours {our_sig}")
        if consent:
            if [a["date"] for a in our_con] != [consent]:
                bad.append(f"{state}: consent {consent} vs ours {[a['date'] for a in our_con]}")
            elif mark == "a" and our_con[0]["kind"] != "accession":
                bad.append(f"{state}: accession, ours {our_con[0]['kind']}")
        elif our_con and _key(our_con[0]["date"]) <= latest:
            # a consent of ours not in the excerpt must be newer than the excerpt
            bad.append(f"{state}: ours {our_con[0]['date']} not in the UNTC excerpt")
    missing = sorted(set(ours) - {names.get(_norm_name(n)) for n in table})
    assert not bad and not missing, {"bad": bad, "not in excerpt": missing}


def test_escazu_informea_excerpt(reference_dir, shared_data):
    pairs, signatures, accessions = parse_escazu_block2(_escazu_text(shared_data))
    assert len(pairs) >= 15 and signatures, (pairs, signatures)
    ours = _escazu_ours(_rows(reference_dir))
    our_pairs = Counter()
    our_sig_only = Counter()
    our_accessions = Counter()
    for acts in ours.values():
        sig = next((a["date"] for a in acts if a["kind"] == "signature"), None)
        con = next((a for a in acts if a["kind"] in CONSENT_KINDS), None)
        if sig and con:
            our_pairs[(sig, con["date"])] += 1
        elif sig:
            our_sig_only[sig] += 1
        elif con and con["kind"] == "accession":
            our_accessions[con["date"]] += 1
    missing_pairs = Counter(pairs) - our_pairs
    missing_sigs = Counter(signatures) - our_sig_only
    missing_acc = Counter(accessions) - our_accessions
    assert not (missing_pairs or missing_sigs or missing_acc), {
        "parties": dict(missing_pairs), "signatories": dict(missing_sigs),
        "accessions": dict(missing_acc)}
