"""gs.open: the CLI's rules for the config file and the environment."""
import os
import subprocess
import sys

import pytest

import graphstore as gs


def write_config(path, db):
    path.write_text(
        "environments:\n"
        "  development:\n"
        "    backend: inmemory\n"
        "  production:\n"
        "    backend: sqlite\n"
        "    options:\n"
        "      path: \"${GS_TEST_DB:-" + str(db) + "}\"\n")
    return path


def test_explicit_config_and_env(tmp_path):
    cfg = write_config(tmp_path / "gs.yaml", tmp_path / "p.db")
    with gs.open(cfg, env="production") as s:
        assert s.plugin.id == "sqlite"
        s.add_entity(gs.Entity("a", "T"))
    with gs.open(str(cfg), env="production", tenant="acme") as s:
        assert s.get_entity("a", tenant="") is not None and s.tenant == "acme"
    with gs.open(cfg) as s:
        assert s.plugin.id == "inmemory"


def test_environment_variables_choose(tmp_path, monkeypatch):
    cfg = write_config(tmp_path / "gs.yaml", tmp_path / "p.db")
    monkeypatch.setenv("GRAPHSTORE_CONFIG", str(cfg))
    monkeypatch.setenv("GRAPHSTORE_ENV", "production")
    with gs.open() as s:
        assert s.plugin.id == "sqlite"
    monkeypatch.delenv("GRAPHSTORE_ENV")
    monkeypatch.setenv("ENVIRONMENT", "production")
    with gs.open() as s:
        assert s.plugin.id == "sqlite"
    monkeypatch.delenv("ENVIRONMENT")
    with gs.open() as s:
        assert s.plugin.id == "inmemory"


def test_config_in_working_directory(tmp_path, monkeypatch):
    (tmp_path / "config").mkdir()
    write_config(tmp_path / "config" / "graphstore.yaml", tmp_path / "p.db")
    monkeypatch.delenv("GRAPHSTORE_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)
    with gs.open(env="production") as s:
        assert s.plugin.id == "sqlite"


def test_builtin_inmemory_and_errors(tmp_path, monkeypatch):
    monkeypatch.delenv("GRAPHSTORE_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)
    with gs.open(env="inmemory") as s:
        assert s.plugin.id == "inmemory"
    cfg = write_config(tmp_path / "gs.yaml", tmp_path / "p.db")
    with pytest.raises(gs.InvalidArgumentError, match="staging"):
        gs.open(cfg, env="staging")
    with pytest.raises(gs.Error):
        gs.open(tmp_path / "missing.yaml")


def test_swappable_open_returns_handle(tmp_path):
    with gs.open(env="inmemory", swappable=True) as h:
        assert isinstance(h, gs.StoreHandle)


def test_plugins_found_without_plugin_path():
    env = dict(os.environ)
    env.pop("GRAPHSTORE_PLUGIN_PATH", None)
    out = subprocess.run([sys.executable, "-c",
                          "import graphstore as gs; print(sorted(p.id for p in gs.Registry().plugins()))"],
                         env=env, capture_output=True, text=True, check=True)
    assert "inmemory" in out.stdout and "sqlite" in out.stdout
