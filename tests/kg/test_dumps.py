"""The dump: made again only when the store changed, and never because the server restarted."""

from __future__ import annotations

import gzip
import hashlib
import io

import pyoxigraph as ox
import pytest

from kg.dumps import Dumps
from kg.errors import InputError
from kg.formats import NQUADS
from kg.settings import Settings
from kg.store import GraphStore
from tests.conftest import store_from_nquads
from tests.rdf_compare import dataset_difference

PER = "https://w3id.org/mwg/id/state/PER"
ALT_LABEL = "http://www.w3.org/2004/02/skos/core#altLabel"
STATES_GRAPH = "https://w3id.org/mwg/graph/reference/states"
LABEL = ox.Quad(ox.NamedNode(PER), ox.NamedNode(ALT_LABEL), ox.Literal("Perú", language="es"),
                ox.NamedNode(STATES_GRAPH))


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(data_dir=tmp_path / "store", dump_dir=tmp_path / "dumps")


@pytest.fixture
def reference(settings, reference_nquads) -> GraphStore:
    """The reference data in memory, dumping into a private folder."""
    return store_from_nquads(reference_nquads, settings)


@pytest.fixture
def on_disk(settings) -> GraphStore:
    """A small store on disk, for what must survive a restart."""
    store = GraphStore.open(settings)
    store.replace_graphs([LABEL], validate=False)
    return store


def dumped(dump) -> bytes:
    return gzip.decompress(dump.path.read_bytes())


def reopen(store: GraphStore) -> GraphStore:
    """The same folder opened again, as after a restart (RocksDB lets one handle hold it)."""
    store.close()
    return GraphStore.open(store.settings)


def test_dump_is_regenerated_only_when_the_store_changed(reference):
    dumps = Dumps(reference)
    first = dumps.current()
    written = first.path.stat().st_mtime_ns
    assert dumps.current() == first and first.path.stat().st_mtime_ns == written
    label = LABEL
    reference.add_quads([label], validate=False)
    second = dumps.current()
    assert second.sha256 != first.sha256
    assert second.sha256 == hashlib.sha256(second.path.read_bytes()).hexdigest()
    assert label in set(ox.parse(dumped(second), format=ox.RdfFormat.N_QUADS))
    exported = io.BytesIO()
    reference.export(exported, NQUADS)
    assert dataset_difference(dumped(second), exported.getvalue(), "nquads") == []  # the dump is the store
    # an edit that keeps every graph's triple count is noticed too
    reference.update(f'DELETE DATA {{ GRAPH <{STATES_GRAPH}> {{ <{PER}> <{ALT_LABEL}> "Perú"@es }} }} ; '
                   f'INSERT DATA {{ GRAPH <{STATES_GRAPH}> {{ <{PER}> <{ALT_LABEL}> "Perù"@it }} }}')
    third = dumps.current()
    assert third.sha256 != second.sha256
    relabelled = ox.Quad(label.subject, label.predicate, ox.Literal("Perù", language="it"), label.graph_name)
    assert {label, relabelled} & set(ox.parse(dumped(third), format=ox.RdfFormat.N_QUADS)) == {relabelled}
    assert (third.path.parent / "mwg-kg.nq.gz.sha256").read_text() == f"{third.sha256}  mwg-kg.nq.gz\n"


def test_a_restart_keeps_the_dump(on_disk):
    made = Dumps(on_disk).current()
    written = made.path.stat().st_mtime_ns
    version = on_disk.version
    restarted = reopen(on_disk)
    assert restarted.version == version
    assert Dumps(restarted).current() == made and made.path.stat().st_mtime_ns == written


def test_every_commit_moves_the_version_and_a_new_store_has_its_own(on_disk, settings, tmp_path):
    before = on_disk.version
    on_disk.replace_graphs([ox.Quad(ox.NamedNode(PER), ox.NamedNode(ALT_LABEL), ox.Literal("P"),
                                    ox.NamedNode("https://w3id.org/mwg/graph/test/version"))], validate=False)
    assert on_disk.version != before
    identity, count = on_disk.version.split(":")
    assert int(count) == int(before.split(":")[1]) + 1
    other = GraphStore.open(Settings(data_dir=tmp_path / "other"))
    assert other.version.split(":")[0] != identity
    assert GraphStore.in_memory().version != GraphStore.in_memory().version


def test_a_refused_batch_leaves_the_dump_current(reference):
    dumps = Dumps(reference)
    made = dumps.current()
    with pytest.raises(InputError, match="default graph"):
        reference.replace_graphs([ox.Quad(ox.NamedNode(PER), ox.NamedNode(ALT_LABEL), ox.Literal("x"),
                                        ox.DefaultGraph())], validate=False)
    assert dumps.current().sha256 == made.sha256
