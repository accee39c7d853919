import csv
import io
import json
import re
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph

from kg.formats import syntax_named
from kg.paths import bundled_dir
from tests.api.conftest import Cli
from tests.rdf_compare import dataset_difference, graph_difference

EXAMPLES = bundled_dir("ontology") / "examples"
MWG = "https://w3id.org/mwg/ontology#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def reference_copy_nquads(store) -> bytes:
    buffer = io.BytesIO()
    store.export(buffer, syntax_named("nquads"))
    return buffer.getvalue()


def reference_quads(reference_nquads: bytes) -> list[ox.Quad]:
    return list(ox.parse(reference_nquads, format=ox.RdfFormat.N_QUADS))


def test_init_on_an_empty_folder_loads_the_reference_data(session_init, reference_copy):
    """The session's one run of the real `mwg-kg init` that loads (every test store copies it):
    what it says, and that it holds what the in-process `initialise` makes."""
    result = session_init.result
    triples = len(reference_copy)
    assert result.stdout == (
        f"store in {session_init.data_dir}: ontology and reference data loaded ({triples:,} triples)\n"
    )
    exported = Cli(session_init.data_dir).run("export", "--format", "nquads")
    assert dataset_difference(exported.stdout, reference_copy_nquads(reference_copy), "nquads") == []
    # That the in-process `initialise` makes the same graphs: tests/kg/test_initialise.py.


def test_init_again_changes_nothing(cli):
    first = cli.run("export", "--format", "nquads").stdout
    result = cli.run("init")
    assert result.returncode == 0
    assert "already up to date" in result.stdout
    assert dataset_difference(cli.run("export", "--format", "nquads").stdout, first, "nquads") == []


def test_stats_show_states_targets_instruments_and_treaty_actions(cli, reference_nquads):
    result = cli.run("stats")
    assert result.returncode == 0, result.stderr
    counts = {line.split()[-1]: line.split()[0] for line in result.stdout.splitlines() if line.startswith("  ")}
    assert counts["mwg:State"] == "195"
    assert counts["sdgo:Target"] == "169"
    assert counts["sdgo:Goal"] == "17"
    quads = reference_quads(reference_nquads)

    def instances(cls: str) -> str:
        return f"{len({q.subject for q in quads if q.predicate == RDF_TYPE and q.object == ox.NamedNode(cls)}):,}"

    assert counts["mwg:TreatyAction"] == instances(MWG + "TreatyAction")
    assert counts["mwg:OptionalProtocol"] == instances(MWG + "OptionalProtocol")
    per_graph = Counter(q.graph_name.value for q in quads)
    assert {graph: counts[graph] for graph in per_graph} == {graph: f"{n:,}" for graph, n in per_graph.items()}
    assert counts["graphs)"] == f"{len(quads):,}"  # the "(all graphs)" line
    assert "https://w3id.org/mwg/graph/reference/states" in per_graph


@pytest.mark.parametrize("fmt", ["table", "json", "csv", "tsv"])
def test_query_in_every_format(cli, fmt, reference_store):
    query = bundled_dir("queries") / "member-states.rq"
    result = cli.run("query", "--format", fmt, str(query))
    assert result.returncode == 0, result.stderr
    expected = reference_store.run_named("member-states").rows  # the same query in process
    if fmt == "json":
        bindings = json.loads(result.stdout)["results"]["bindings"]
        assert len(bindings) == 193
        assert {"type": "literal", "value": "PER"} in [b["iso3"] for b in bindings]
        assert [b["iso3"]["value"] for b in bindings] == [row[1].value for row in expected]
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(result.stdout)))
        assert len(rows) == 193 and "Peru" in {row["name"] for row in rows}
        assert [row["name"] for row in rows] == [row[4].value for row in expected]
    elif fmt == "tsv":
        lines = result.stdout.splitlines()
        assert lines[0].startswith("?state\t?iso3") and len(lines) == 194
        assert '"PER"' in result.stdout
        assert lines[1:] == ["\t".join("" if term is None else str(term) for term in row) for row in expected]
    else:
        assert "(193 rows)" in result.stdout and "id:state/PER" in result.stdout


def test_query_text_and_a_bad_query(cli):
    ok = cli.run("query", "ASK { <https://w3id.org/mwg/id/state/PER> ?p ?o }")
    assert ok.returncode == 0 and ok.stdout.strip() == "yes"
    bad = cli.run("query", "SELEC ?x")
    assert bad.returncode == 2
    assert "does not parse" in bad.stderr


def test_validate_valid_examples_exit_0(cli):
    paths = sorted((EXAMPLES / "valid").glob("*.ttl"))
    result = cli.run("validate", *map(str, paths))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count(": conforms") == len(paths)


def test_validate_invalid_examples_exit_1_each_with_focus_path_and_message(cli):
    paths = sorted((EXAMPLES / "invalid").glob("*.ttl"))
    result = cli.run("validate", *map(str, paths))
    assert result.returncode == 1, result.stdout + result.stderr
    failing_files = set(re.findall(r"^(\S+\.ttl): [1-9]\d* violation\(s\)$", result.stdout, flags=re.MULTILINE))
    assert {Path(path).name for path in failing_files} == {p.name for p in paths}
    violations = [line for line in result.stdout.splitlines() if line.startswith("Violation: ")]
    per_file = re.findall(r"^\S+\.ttl: (\d+) violation\(s\)$", result.stdout, flags=re.MULTILINE)
    assert len(violations) == sum(map(int, per_file)) >= len(paths)
    for line in violations:
        focus, path_or_node, message = line.removeprefix("Violation: ").split(" ", 2)
        assert focus and path_or_node and message.lstrip(": ")


def test_validate_one_invalid_example_exits_1(cli):
    result = cli.run("validate", str(EXAMPLES / "invalid" / "state-missing-iso-alpha3.ttl"))
    assert result.returncode == 1
    assert "mwg:isoAlpha3" in result.stdout


def test_malformed_turtle_exits_2_with_the_line(cli, tmp_path):
    broken = tmp_path / "broken.ttl"
    broken.write_text('@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:a ex:b "open\n')
    result = cli.run("validate", str(broken))
    assert result.returncode == 2
    assert "line 3" in result.stderr


def test_validate_whole_store_conforms(cli):
    result = cli.run("validate")
    assert result.returncode == 0, result.stdout
    assert result.stdout.strip().endswith("conforms")


def test_load_valid_then_invalid_file(cli, tmp_path):
    good = tmp_path / "company.ttl"
    good.write_text(
        "@prefix mwg: <https://w3id.org/mwg/ontology#> . @prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        '<https://w3id.org/mwg/id/company/acme> a mwg:Company ; skos:prefLabel "Acme Mining"@en .\n'
    )
    result = cli.run("load", str(good), "--graph", "https://w3id.org/mwg/graph/test")
    assert result.returncode == 0, result.stderr
    assert "loaded 2 triples into https://w3id.org/mwg/graph/test" in result.stdout

    before = cli.run("export").stdout
    bad = tmp_path / "nameless.ttl"
    bad.write_text("<https://w3id.org/mwg/id/company/x> a <https://w3id.org/mwg/ontology#Company> .\n")
    refused = cli.run("load", str(good), str(bad))
    assert refused.returncode == 1
    assert "https://w3id.org/mwg/id/company/x" in refused.stdout.replace("id:company/x", "https://w3id.org/mwg/id/company/x")
    assert dataset_difference(cli.run("export").stdout, before, "nquads") == []


def test_load_unknown_extension_is_a_clear_error(cli, tmp_path):
    odd = tmp_path / "data.xyz"
    odd.write_text("x")
    result = cli.run("load", str(odd))
    assert result.returncode == 2
    assert "--format" in result.stderr


@pytest.mark.parametrize("fmt, parser", [("nquads", "nquads"), ("trig", "trig"), ("turtle", "turtle")])
def test_export_parses_back(cli, tmp_path, fmt, parser, reference_nquads):
    """Parsed by rdflib (not the engine that wrote it), the export is the store: graph by graph, or
    all graphs merged in Turtle."""
    out = tmp_path / f"dump.{fmt}"
    result = cli.run("export", "--format", fmt, "-o", str(out))
    assert result.returncode == 0, result.stderr
    graph = Dataset() if fmt != "turtle" else Graph()
    graph.parse(out, format=parser)
    compare = graph_difference if fmt == "turtle" else dataset_difference
    assert compare(graph, reference_nquads, "nquads") == []


def test_extract_works_on_a_fresh_install_without_a_store(shared_data, tmp_path):
    fresh = Cli(tmp_path / "never-created")
    result = fresh.run("extract", str(shared_data / "upr/reports/mongolia2011.txt"))
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) > 50
    assert set(rows[0]) == {"symbol", "kind", "paragraph", "text", "recommending_states", "addressed_states",
                            "position", "instruments", "sdg_targets", "themes", "companies", "communities",
                            "start", "end"}
    assert {row["addressed_states"][0] for row in rows} == {"MNG"}
    assert not (tmp_path / "never-created").exists()
    as_csv = fresh.run("extract", "--format", "csv", str(shared_data / "upr/reports/mongolia2011.txt"))
    assert len(list(csv.DictReader(io.StringIO(as_csv.stdout)))) == len(rows)


def test_ingest_keeps_the_good_documents_and_exits_2_on_a_failure(cli, shared_data, tmp_path):
    corrupt = shared_data / "upr/slovenia-pdfs/corrupt_unreadable_2009.pdf"
    result = cli.run("ingest", str(shared_data / "upr/reports/zambia2012.txt"), str(corrupt))
    assert result.returncode == 2
    assert "1 document(s) ingested, 1 failed" in result.stdout
    assert "corrupt_unreadable_2009.pdf" in result.stderr
    graphs = cli.run("query", "--format", "csv", "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s a "
                     "<https://w3id.org/mwg/ontology#Recommendation> } }").stdout
    assert graphs.count("https://w3id.org/mwg/graph/document/") == 1
