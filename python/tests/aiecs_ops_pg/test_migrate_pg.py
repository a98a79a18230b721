"""Migrations into and out of PostgreSQL: migrate_sqlite_to_postgres (from a graphstore file and from a
reference-written file) and a reference PostgreSQL schema read through ReferenceDatabase."""
import struct

from graphstore.aiecs import (Entity, GraphStorageMigrator, PostgresGraphStore, ReferenceDatabase, Relation,
                              SQLiteGraphStore, TenantContext, migrate_sqlite_to_postgres)
from pg_helpers import settings
from test_reference_source import build_reference_file

ACME = TenantContext("acme")


async def check_target(pg_server, schema, expect_source):
    store = PostgresGraphStore(**settings(pg_server, schema))
    await store.initialize()
    try:
        a = await store.get_entity("a")
        assert a.properties == {"name": "Ada"} and a.embedding == [0.5, 0.25, -1.0]
        assert a.source == expect_source
        ab = await store.get_relation("ab")
        assert ab.weight == 0.0 and ab.properties == {"since": 2020}
        assert (await store.get_relation("xy", context=ACME)).weight == 0.5
        assert await store.get_entity("x") is None
    finally:
        await store.close()


async def test_graphstore_sqlite_file_to_postgres(tmp_path, pg_server, schema):
    path = str(tmp_path / "g.db")
    src = SQLiteGraphStore(path)
    await src.initialize()
    emb = [0.5, 0.25, -1.0]
    await src.add_entity(Entity(id="a", entity_type="Person", properties={"name": "Ada"}, embedding=emb,
                                source="doc"))
    await src.add_entity(Entity(id="b", entity_type="Person"))
    await src.add_relation(Relation(id="ab", relation_type="KNOWS", source_id="a", target_id="b", weight=0.0,
                                    properties={"since": 2020}))
    await src.add_entity(Entity(id="x", entity_type="Org"), context=ACME)
    await src.add_entity(Entity(id="y", entity_type="Org"), context=ACME)
    await src.add_relation(Relation(id="xy", relation_type="OWNS", source_id="x", target_id="y", weight=0.5),
                           context=ACME)
    await src.close()
    report = await migrate_sqlite_to_postgres(path, settings(pg_server, schema), show_progress=False)
    assert (report["entities_migrated"], report["relations_migrated"]) == (4, 2)
    assert report["verification"]["success"] and report["errors"] == []
    await check_target(pg_server, schema, "doc")


async def test_reference_sqlite_file_to_postgres(tmp_path, pg_server, schema):
    path = str(tmp_path / "ref.db")
    build_reference_file(path)
    report = await migrate_sqlite_to_postgres(path, settings(pg_server, schema), show_progress=False)
    assert (report["entities_migrated"], report["relations_migrated"]) == (4, 2)
    assert report["verification"]["success"]
    assert any("never stored" in n for n in report["notes"])
    await check_target(pg_server, schema, None)


REFERENCE_PG_SCHEMA = """
CREATE SCHEMA {s};
CREATE TABLE {s}.graph_entities(id TEXT NOT NULL, tenant_id TEXT NOT NULL DEFAULT '', entity_type TEXT NOT NULL,
  properties JSONB NOT NULL DEFAULT '{{}}', embedding BYTEA, created_at TIMESTAMP DEFAULT now(),
  updated_at TIMESTAMP DEFAULT now(), PRIMARY KEY(id, tenant_id));
CREATE TABLE {s}.graph_relations(id TEXT NOT NULL, tenant_id TEXT NOT NULL DEFAULT '', relation_type TEXT NOT NULL,
  source_id TEXT NOT NULL, target_id TEXT NOT NULL, properties JSONB NOT NULL DEFAULT '{{}}', weight REAL DEFAULT 1.0,
  created_at TIMESTAMP DEFAULT now(), updated_at TIMESTAMP DEFAULT now(), PRIMARY KEY(id, tenant_id));
INSERT INTO {s}.graph_entities(id, tenant_id, entity_type, properties, embedding) VALUES
  ('a', '', 'Person', '{{"name": "Ada"}}', '\\x{blob}'), ('b', '', 'Person', '{{}}', NULL),
  ('x', 'acme', 'Org', '{{}}', NULL), ('y', 'acme', 'Org', '{{}}', NULL);
INSERT INTO {s}.graph_relations(id, tenant_id, relation_type, source_id, target_id, properties, weight) VALUES
  ('ab', '', 'KNOWS', 'a', 'b', '{{"since": 2020}}', 0.0), ('xy', 'acme', 'OWNS', 'x', 'y', '{{}}', 0.5);
"""


async def test_reference_postgres_schema_to_sqlite(tmp_path, pg_server, schema, psql):
    ref_schema = schema + "_ref"
    blob = struct.pack("<3f", 0.5, 0.25, -1.0).hex()
    psql(REFERENCE_PG_SCHEMA.format(s=ref_schema, blob=blob))
    source = ReferenceDatabase(host=pg_server["host"], port=pg_server["port"], user=pg_server["user"],
                               password=pg_server["password"], database=pg_server["database"], schema=ref_schema)
    target = SQLiteGraphStore(str(tmp_path / "new.db"))
    try:
        report = await GraphStorageMigrator(source, target).migrate(show_progress=False)
        assert (report["entities_migrated"], report["relations_migrated"]) == (4, 2)
        assert report["verification"]["success"], report
        a = await target.get_entity("a")
        assert a.properties == {"name": "Ada"} and a.embedding == [0.5, 0.25, -1.0]
        ab = await target.get_relation("ab")
        assert ab.weight == 0.0 and ab.properties == {"since": 2020}
        assert (await target.get_relation("xy", context=ACME)).weight == 0.5
    finally:
        await source.close()
        await target.close()
