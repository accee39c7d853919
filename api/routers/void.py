"""The dataset described (VoID and DCAT at `/.well-known/void`) and downloadable (`/dumps/…`).

The dump is the whole store as gzipped N-Quads, written by the store's own export into
`MWG_KG_DUMP_DIR`, with a SHA-256 checksum beside it (`sha256sum -c` reads it). It is made on
the first request after the store changed: a stamp of the store (triples per graph, and the
names, sizes and times of the on-disk store's write-ahead logs) is kept with the dump, and a request that finds a
different stamp regenerates it in a worker thread, one generation at a time, while the event
loop keeps serving. Gzip is written with a zero timestamp, so the same data gives the same
checksum.
"""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox
from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from api.routers.linked_data import RDF_FORMATS, not_acceptable, negotiate, serialize
from kg import __version__
from kg.namespaces import BASE, ONTOLOGY_IRI
from kg.rdf_formats import syntax_named
from kg.settings import Settings
from kg.store import GraphStore

router = APIRouter()

DUMP_NAME = "mwg-kg.nq.gz"
DATASET_IRI = BASE + "dataset"
LICENCE = "https://creativecommons.org/licenses/by/4.0/"
VOID = "http://rdfs.org/ns/void#"
DCAT = "http://www.w3.org/ns/dcat#"
DCTERMS = "http://purl.org/dc/terms/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XSD = "http://www.w3.org/2001/XMLSchema#"
FOAF = "http://xmlns.com/foaf/0.1/"
VOID_PREFIXES = {"void": VOID, "dcat": DCAT, "dcterms": DCTERMS, "xsd": XSD, "foaf": FOAF,
                 "mwg": BASE + "ontology#"}


def dump_dir(settings: Settings) -> Path:
    """`MWG_KG_DUMP_DIR`, or a `dumps` folder beside the store's folder."""
    return settings.dump_dir or Path(settings.data_dir).resolve().parent / "dumps"


def store_stamp(store: GraphStore) -> str:
    """What changes whenever the store's content does (and seldom when it does not).

    Triples per named graph catch any addition or removal. Every commit to the on-disk store
    appends to its write-ahead log (RocksDB `*.log`; a flush starts a new one), so the logs'
    names, sizes and times catch an edit that keeps the counts (a literal replaced). Background
    compaction rewrites only tables, which are left out. A false alarm costs one regeneration,
    which gives the same bytes and checksum for the same data.
    """
    parts = [f"{row['graph'].value} {row['triples'].value}" for row in store.run_named("store-graphs").records()]
    folder = Path(store.settings.data_dir)
    if folder.is_dir():
        for entry in sorted(os.scandir(folder), key=lambda e: e.name):
            if entry.name.endswith(".log"):
                info = entry.stat()
                parts.append(f"{entry.name} {info.st_size} {info.st_mtime_ns}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


@dataclass(frozen=True)
class Dump:
    path: Path
    sha256: str


def current_dump(store: GraphStore) -> Dump:
    """The dump of the store as it is now, regenerated first if the store changed since."""
    folder = dump_dir(store.settings)
    path, meta_path = folder / DUMP_NAME, folder / (DUMP_NAME + ".json")
    stamp = store_stamp(store)
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if meta.get("stamp") == stamp and path.is_file():
            return Dump(path=path, sha256=meta["sha256"])
    except (OSError, ValueError, KeyError):
        pass
    folder.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".dump-", suffix=".nq.gz")
    try:
        with os.fdopen(handle, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as packed:
            store.export(packed, syntax_named("nquads"))
        digest = hashlib.sha256()
        with open(temporary, "rb") as written:
            for chunk in iter(lambda: written.read(1 << 20), b""):
                digest.update(chunk)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    sha256 = digest.hexdigest()
    _write_atomically(folder / (DUMP_NAME + ".sha256"), f"{sha256}  {DUMP_NAME}\n")
    _write_atomically(meta_path, json.dumps({"stamp": stamp, "sha256": sha256}))
    return Dump(path=path, sha256=sha256)


def _write_atomically(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


async def fresh_dump(request: Request) -> Dump:
    """`current_dump` off the event loop, one generation at a time per app."""
    lock = getattr(request.app.state, "dump_lock", None)
    if lock is None:
        lock = request.app.state.dump_lock = asyncio.Lock()
    async with lock:
        return await run_in_threadpool(current_dump, request.app.state.store)


@router.get(f"/dumps/{DUMP_NAME}", summary="The whole graph as gzipped N-Quads", response_class=FileResponse)
async def dump(request: Request) -> FileResponse:
    made = await fresh_dump(request)
    return FileResponse(made.path, media_type="application/gzip", filename=DUMP_NAME,
                        headers={"ETag": f'"{made.sha256}"'})


@router.get(f"/dumps/{DUMP_NAME}.sha256", summary="SHA-256 checksum of the dump (sha256sum format)",
            response_class=Response)
async def dump_checksum(request: Request) -> Response:
    made = await fresh_dump(request)
    return Response(f"{made.sha256}  {DUMP_NAME}\n", media_type="text/plain")


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
    fmt = negotiate(request.headers.get("accept"), RDF_FORMATS)
    if fmt is None:
        return not_acceptable(RDF_FORMATS)
    triples = await run_in_threadpool(void_triples, request.app.state.store, str(request.base_url))
    body = serialize(triples, fmt) if fmt.name != "turtle" else ox.serialize(
        triples, format=ox.RdfFormat.TURTLE, prefixes=VOID_PREFIXES)
    return Response(body, media_type=fmt.media_type, headers={"Vary": "Accept"})


@router.get("/dataset", summary="Dereference the dataset IRI: 303 to its VoID description",
            response_class=Response, status_code=303)
async def dataset(request: Request) -> Response:
    root = request.scope.get("root_path", "").rstrip("/")
    return RedirectResponse(f"{root}/.well-known/void", status_code=303)
