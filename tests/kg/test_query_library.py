import pytest
from pyoxigraph import Literal, NamedNode, Variable

from kg.errors import InputError, NotFoundError
from kg.paths import bundled_dir
from kg.query_library import QueryLibrary

LIBRARY = QueryLibrary(bundled_dir("queries"))
SAMPLE_ARGUMENTS = {"string": "PER", "iri": "https://w3id.org/mwg/id/state/PER", "integer": "1", "date": "2020-01-01"}


@pytest.mark.parametrize("name", sorted(LIBRARY.queries))
def test_every_named_query_has_a_summary_and_runs(name, reference_store):
    query = LIBRARY[name]
    assert query.summary
    arguments = {parameter.name: SAMPLE_ARGUMENTS[parameter.type] for parameter in query.parameters}
    reference_store.query(query.text, substitutions=query.substitutions(arguments))


def test_parameters_are_bound_as_typed_terms():
    bound = LIBRARY["state-treaties"].substitutions({"iso3": "PER"})
    assert bound == {Variable("iso3"): Literal("PER")}


def test_injection_through_a_parameter_is_just_data(reference_store):
    rows = reference_store.run_named("state-treaties", {"iso3": 'PER" || true || "'}).records()
    assert rows == []


def test_unknown_and_missing_parameters_are_explained():
    with pytest.raises(InputError, match="no parameter colour"):
        LIBRARY["state-treaties"].substitutions({"iso3": "PER", "colour": "red"})
    with pytest.raises(InputError, match="needs the parameter 'iso3'"):
        LIBRARY["state-treaties"].substitutions({})


def test_unknown_query_is_not_found():
    with pytest.raises(NotFoundError):
        LIBRARY["no-such-query"]


def test_iri_parameters_must_be_iris(tmp_path):
    (tmp_path / "about.rq").write_text(
        "#+ summary: about a thing\n#+ params:\n#+   - name: thing\n#+     type: iri\nSELECT * { ?thing ?p ?o }\n"
    )
    query = QueryLibrary(tmp_path)["about"]
    assert query.substitutions({"thing": "http://example.org/x"}) == {Variable("thing"): NamedNode("http://example.org/x")}
    with pytest.raises(InputError, match="valid iri"):
        query.substitutions({"thing": "not an iri"})
