"""A database the reference wrote, migrated with the drop-in's migrator (ReferenceDatabase source).

The file is built with plain SQL from the reference's documented schema
(AIECS_API.md §3.2, shared mode): global rows have tenant_id NULL.
"""
import sqlite3
import struct

from graphstore.aiecs import (GraphStorageMigrator, InMemoryGraphStore, ReferenceDatabase, SQLiteGraphStore,
                              TenantContext)
from graphstore.aiecs.migration import is_reference_sqlite

SCHEMA = """
CREATE TABLE entities(id TEXT NOT NULL, tenant_id TEXT, entity_type TEXT NOT NULL, properties TEXT NOT NULL,
  embedding BLOB, created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP, updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY(id, tenant_id));
CREATE TABLE relations(id TEXT NOT NULL, tenant_id TEXT, relation_type TEXT NOT NULL, source_id TEXT NOT NULL,
  target_id TEXT NOT NULL, properties TEXT NOT NULL, weight REAL DEFAULT 1.0,
  created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP, updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY(id, tenant_id));
"""


def build_reference_file(path):
    conn = sqlite3.connect(path)
    conn.executescript(SCHEMA)
    blob = struct.pack("<3f", 0.5, 0.25, -1.0)
    rows = [("a", None, "Person", '{"name": "Ada"}', blob), ("b", None, "Person", "{}", None),
            ("x", "acme", "Org", '{"k": [1, 2]}', blob), ("y", "acme", "Org", "{}", None)]
    conn.executemany("INSERT INTO entities(id, tenant_id, entity_type, properties, embedding) VALUES (?,?,?,?,?)",
                     rows)
    conn.executemany(
        "INSERT INTO relations(id, tenant_id, relation_type, source_id, target_id, properties, weight) "
        "VALUES (?,?,?,?,?,?,?)",
        [("ab", None, "KNOWS", "a", "b", '{"since": 2020}', 0.0), ("xy", "acme", "OWNS", "x", "y", "{}", 0.5)])
    conn.commit()
    conn.close()


def test_detection(tmp_path):
    ref = str(tmp_path / "ref.db")
    build_reference_file(ref)
    assert is_reference_sqlite(ref)
    assert not is_reference_sqlite(str(tmp_path / "missing.db"))


async def test_reference_file_migrates_every_tenant(tmp_path):
    ref = str(tmp_path / "ref.db")
    build_reference_file(ref)
    source = ReferenceDatabase(sqlite_path=ref)
    target = SQLiteGraphStore(str(tmp_path / "new.db"))
    report = await GraphStorageMigrator(source, target).migrate(show_progress=False)
    try:
        assert (report["entities_migrated"], report["relations_migrated"]) == (4, 2)
        assert report["verification"]["success"], report
        assert any("never stored" in n for n in report["notes"])
        a = await target.get_entity("a")
        assert a.properties == {"name": "Ada"} and a.embedding == [0.5, 0.25, -1.0] and a.source is None
        ab = await target.get_relation("ab")
        assert ab.weight == 0.0 and ab.properties == {"since": 2020}
        acme = TenantContext("acme")
        assert (await target.get_entity("x", context=acme)).properties == {"k": [1, 2]}
        assert (await target.get_relation("xy", context=acme)).weight == 0.5
        assert await target.get_entity("x") is None
    finally:
        await source.close()
        await target.close()


async def test_reference_file_into_memory(tmp_path):
    ref = str(tmp_path / "ref.db")
    build_reference_file(ref)
    target = InMemoryGraphStore()
    report = await GraphStorageMigrator(ReferenceDatabase(sqlite_path=ref), target).migrate(show_progress=False)
    assert report["verification"]["success"]
    assert [e.id for e in await target.get_neighbors("a")] == ["b"]
    await target.close()
