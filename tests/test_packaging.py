"""An installed wheel must carry the ontology and the named queries (kg/_data/...)."""

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_wheel_carries_ontology_queries_and_the_console_script(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp_path)],
        check=True, capture_output=True,
    )
    wheel = next(tmp_path.glob("mwg_kg-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {
        "kg/_data/ontology/mwg.ttl",
        "kg/_data/ontology/shapes.ttl",
        "kg/_data/ontology/vocabularies.ttl",
        "kg/_data/ontology/reference/states.csv",
        "kg/_data/ontology/reference/treaty_actions.csv",
        "kg/_data/queries/member-states.rq",
        "kg/store.py",
        "api/cli.py",
        "api/static/editor/index.html",
        "api/templates/resource.html",
    }
    assert expected - names == set()
    entry_points = next(name for name in names if name.endswith("entry_points.txt"))
    assert "mwg-kg = api.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()
