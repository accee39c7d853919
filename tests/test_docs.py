"""The README must document every setting, every CLI command and every HTTP route."""

from pathlib import Path

import pytest

from api.app import create_app
from api.cli import build_parser
from kg.settings import Settings
from kg.store import GraphStore

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(Settings.model_fields))
def test_every_setting_is_in_the_readme(name):
    assert f"MWG_KG_{name.upper()}" in README


def test_every_cli_command_is_in_the_readme():
    commands = build_parser()._subparsers._group_actions[0].choices
    missing = [name for name in commands if f"mwg-kg {name}" not in README]
    assert missing == []


def test_every_route_is_in_the_readme():
    app = create_app(store=GraphStore.in_memory())
    paths = set(app.openapi()["paths"])
    assert paths and sorted(path for path in paths if f"`{path}" not in README) == []


def test_the_two_commands_are_in_the_readme():
    assert "make serve" in README and "make test" in README
