import pytest

from kg.errors import ForbiddenQueryError, InputError
from kg.input_guard import MAX_NESTING_DEPTH, check_query, check_rdf_document

SERVICE_SPELLINGS = [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { sErViCe <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { SERVICE SILENT <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { \\u0053ERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { \\U00000053ERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p ?o OPTIONAL { SERVICE <http://127.0.0.1:9/> { ?s ?p ?x } } }",
    "SELECT * WHERE { ?s ?p ?o MINUS { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } } }",
    "SELECT * WHERE { { SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } } } }",
    "SELECT * WHERE { BIND(<http://127.0.0.1:9/> AS ?e) SERVICE ?e { ?s ?p ?o } }",
    "SELECT * WHERE {\nSERVICE#comment\n<http://127.0.0.1:9/> { ?s ?p ?o } }",
]


@pytest.mark.parametrize("query", SERVICE_SPELLINGS)
def test_service_is_refused_in_every_spelling(query):
    with pytest.raises(ForbiddenQueryError, match="SERVICE"):
        check_query(query, max_length=10_000)


@pytest.mark.parametrize(
    "query",
    [
        "PREFIX ex: <http://example.org/> SELECT * WHERE { ?s ex:service ?o }",
        'SELECT * WHERE { ?s ?p "SERVICE" }',
        "SELECT * WHERE { ?s ?p ?o } # SERVICE in a comment",
        "SELECT ?service WHERE { ?service ?p ?o }",
        "SELECT * WHERE { ?s ?p <http://example.org/SERVICE> }",
    ],
)
def test_the_word_service_as_data_is_allowed(query):
    check_query(query, max_length=10_000)


def test_deeply_nested_query_is_refused_before_parsing():
    query = "SELECT * WHERE " + "{" * 5000 + "?s ?p ?o" + "}" * 5000
    with pytest.raises(InputError, match="deep"):
        check_query(query, max_length=100_000)


def test_nesting_at_the_limit_is_allowed():
    depth = MAX_NESTING_DEPTH - 1
    check_query("SELECT * WHERE " + "{" * depth + "?s ?p ?o" + "}" * depth, max_length=10_000)


def test_overlong_query_is_refused():
    with pytest.raises(InputError, match="limit"):
        check_query("SELECT * WHERE { ?s ?p ?o }" + " " * 200, max_length=100)


def test_rdfxml_with_entities_is_refused():
    bomb = '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa">]><rdf:RDF/>'
    with pytest.raises(InputError, match="DOCTYPE"):
        check_rdf_document(bomb, syntax_name="rdfxml")


def test_deep_jsonld_is_refused():
    with pytest.raises(InputError, match="deep"):
        check_rdf_document('{"@id": "http://e/", "http://e/p": ' + "[" * 4000 + "]" * 4000 + "}",
                           syntax_name="jsonld")


def test_deep_turtle_is_refused_but_brackets_in_strings_are_not():
    with pytest.raises(InputError, match="deep"):
        check_rdf_document("<http://e/s> <http://e/p> " + "[ <http://e/p> " * 100 + "]" * 100 + " .",
                           syntax_name="turtle")
    check_rdf_document('<http://e/s> <http://e/p> "' + "[" * 100 + '" .', syntax_name="turtle")
