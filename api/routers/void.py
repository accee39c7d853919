"""The dataset described (VoID and DCAT at `/.well-known/void`) and downloadable (`/dumps/…`).

The dump itself (`kg.dumps`) is made on the first request after the store changed, in a worker
thread, one at a time, while the event loop keeps serving.
"""

from __future__ import annotations

from urllib.parse import quote

import pyoxigraph as ox
from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from api.negotiation import negotiate
from api.pages import root_of
from kg import __version__
from kg.dumps import DUMP_NAME, Dump
from kg.formats import DESCRIPTION_FORMATS, write_rdf_triples
from kg.namespaces import BASE, DCAT, DCTERMS, ONTOLOGY_IRI, RDF, VOID, XSD
from kg.store import GraphStore

router = APIRouter()

DATASET_IRI = BASE + "dataset"
LICENCE = "https://creativecommons.org/licenses/by/4.0/"


async def fresh_dump(request: Request) -> Dump:
    """The current dump, made off the event loop if the store changed."""
    return await run_in_threadpool(request.app.state.dumps.current)


@router.get(f"/dumps/{DUMP_NAME}", summary="The whole graph as gzipped N-Quads", response_class=FileResponse)
async def dump(request: Request) -> FileResponse:
    made = await fresh_dump(request)
    return FileResponse(made.path, media_type="application/gzip", filename=DUMP_NAME,
                        headers={"ETag": f'"{made.sha256}"'})


@router.get(f"/dumps/{DUMP_NAME}.sha256", summary="SHA-256 checksum of the dump (sha256sum format)",
            response_class=Response)
async def dump_checksum(request: Request) -> Response:
    made = await fresh_dump(request)
    return Response(made.checksum_line, media_type="text/plain")


# -- VoID and DCAT ---------------------------------------------------------------------------

def _iri(value: str) -> ox.NamedNode:
    return ox.NamedNode(value)


def _count(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=ox.NamedNode(XSD + "integer"))


def namespace_of(iri: str) -> str:
    """`http://www.w3.org/2004/02/skos/core#prefLabel` -> `http://www.w3.org/2004/02/skos/core#`."""
    cut = max(iri.rfind("#"), iri.rfind("/"))
    return iri[: cut + 1]


def void_triples(store: GraphStore, base: str) -> list[ox.Triple]:
    """VoID and DCAT about the dataset: graphs as subsets, classes, properties, access points."""
    stats = store.stats()
    properties = store.run_named("dataset-properties").records()
    dataset = _iri(DATASET_IRI)
    a = _iri(RDF + "type")
    triples = [
        ox.Triple(dataset, a, _iri(VOID + "Dataset")),
        ox.Triple(dataset, a, _iri(DCAT + "Dataset")),
        ox.Triple(dataset, _iri(DCTERMS + "title"), ox.Literal("MWG Knowledge Graph", language="en")),
        ox.Triple(dataset, _iri(DCTERMS + "description"), ox.Literal(
            "States, treaties and treaty actions, UN recommendations (UPR, treaty bodies, Special Procedures), "
            "companies, extractive projects, affected communities and the SDGs, for the NGO Mining Working Group.",
            language="en")),
        ox.Triple(dataset, _iri(DCTERMS + "license"), _iri(LICENCE)),
        ox.Triple(dataset, _iri(DCTERMS + "hasVersion"), ox.Literal(__version__)),
        ox.Triple(dataset, _iri(VOID + "uriSpace"), ox.Literal(BASE + "id/")),
        ox.Triple(dataset, _iri(VOID + "triples"), _count(len(store))),
        ox.Triple(dataset, _iri(VOID + "sparqlEndpoint"), _iri(base + "sparql")),
        ox.Triple(dataset, _iri(VOID + "dataDump"), _iri(base + "dumps/" + DUMP_NAME)),
        ox.Triple(dataset, _iri(VOID + "rootResource"), _iri(ONTOLOGY_IRI)),
        ox.Triple(dataset, _iri(VOID + "exampleResource"), _iri(BASE + "id/state/PER")),
        ox.Triple(dataset, _iri(VOID + "classes"), _count(len(stats.classes))),
        ox.Triple(dataset, _iri(VOID + "properties"), _count(len(properties))),
    ]
    service = _iri(base + "sparql")
    triples += [
        ox.Triple(dataset, _iri(DCAT + "distribution"), _iri(base + "dumps/" + DUMP_NAME)),
        ox.Triple(_iri(base + "dumps/" + DUMP_NAME), a, _iri(DCAT + "Distribution")),
        ox.Triple(_iri(base + "dumps/" + DUMP_NAME), _iri(DCAT + "downloadURL"), _iri(base + "dumps/" + DUMP_NAME)),
        ox.Triple(_iri(base + "dumps/" + DUMP_NAME), _iri(DCAT + "mediaType"),
                  _iri("https://www.iana.org/assignments/media-types/application/n-quads")),
        ox.Triple(_iri(base + "dumps/" + DUMP_NAME), _iri(DCAT + "compressFormat"),
                  _iri("https://www.iana.org/assignments/media-types/application/gzip")),
        ox.Triple(_iri(base + "dumps/" + DUMP_NAME), _iri(DCTERMS + "license"), _iri(LICENCE)),
        ox.Triple(dataset, _iri(DCAT + "distribution"), service),
        ox.Triple(service, a, _iri(DCAT + "DataService")),
        ox.Triple(service, _iri(DCAT + "endpointURL"), service),
        ox.Triple(service, _iri(DCAT + "servesDataset"), dataset),
        ox.Triple(service, _iri(DCTERMS + "conformsTo"), _iri("https://www.w3.org/TR/sparql11-protocol/")),
    ]
    for count in stats.graphs:
        subset = _iri(count.graph)
        graph_url = _iri(f"{base}rdf-graphs?graph={quote(count.graph, safe='')}")
        triples += [
            ox.Triple(dataset, _iri(VOID + "subset"), subset),
            ox.Triple(subset, a, _iri(VOID + "Dataset")),
            ox.Triple(subset, _iri(VOID + "triples"), _count(count.triples)),
            ox.Triple(subset, _iri(VOID + "dataDump"), graph_url),
            ox.Triple(subset, _iri(DCTERMS + "isPartOf"), dataset),
        ]
    for class_iri, instances in stats.classes:
        partition = ox.BlankNode()
        triples += [
            ox.Triple(dataset, _iri(VOID + "classPartition"), partition),
            ox.Triple(partition, _iri(VOID + "class"), _iri(class_iri)),
            ox.Triple(partition, _iri(VOID + "entities"), _count(instances)),
        ]
    vocabularies = set()
    for row in properties:
        prop = row["property"].value
        partition = ox.BlankNode()
        triples += [
            ox.Triple(dataset, _iri(VOID + "propertyPartition"), partition),
            ox.Triple(partition, _iri(VOID + "property"), _iri(prop)),
            ox.Triple(partition, _iri(VOID + "triples"), _count(int(row["triples"].value))),
        ]
        vocabularies.add(namespace_of(prop))
    vocabularies |= {namespace_of(class_iri) for class_iri, _ in stats.classes}
    triples += [ox.Triple(dataset, _iri(VOID + "vocabulary"), _iri(ns)) for ns in sorted(vocabularies) if ns]
    return triples


@router.get("/.well-known/void", summary="VoID and DCAT description of the dataset (Turtle by default)",
            response_class=Response)
async def void(request: Request) -> Response:
    fmt = negotiate(DESCRIPTION_FORMATS, accept=request.headers.get("accept"))
    triples = await run_in_threadpool(void_triples, request.app.state.store, str(request.base_url))
    return Response(write_rdf_triples(triples, fmt), media_type=fmt.media_type, headers={"Vary": "Accept"})


@router.get("/dataset", summary="Dereference the dataset IRI: 303 to its VoID description",
            response_class=Response, status_code=303)
async def dataset(request: Request) -> Response:
    return RedirectResponse(f"{root_of(request)}/.well-known/void", status_code=303)
