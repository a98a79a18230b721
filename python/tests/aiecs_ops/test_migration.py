"""GraphStorageMigrator and its two ways (native between graphstore stores, interface otherwise)."""
from datetime import datetime

import numpy as np
import pytest

import graphstore as gs

from graphstore.aiecs import (Entity, GraphStorageMigrator, GraphStore, InMemoryGraphStore, Relation,
                              SQLiteGraphStore, TenantContext)

ACME = TenantContext("acme")
TS = datetime(2024, 3, 4, 5, 6, 7, 891011)


def ent(i, tenant=None, **props):
    return Entity(id=i, entity_type="Person", properties=props, embedding=[0.5, 0.25, -1.0],
                  created_at=TS, updated_at=TS, source="doc-" + i, tenant_id=tenant)


def rel(i, s, t, weight=1.0, tenant=None, **props):
    return Relation(id=i, relation_type="KNOWS", source_id=s, target_id=t, weight=weight,
                    properties=props, created_at=TS, source="doc-" + i, tenant_id=tenant)


async def fill(store):
    for i in ("a", "b", "c"):
        await store.add_entity(ent(i, n=i))
    await store.add_relation(rel("ab", "a", "b", note="x"))
    await store.add_relation(rel("bc", "b", "c", weight=0.0))
    for i in ("x", "y"):
        await store.add_entity(ent(i, tenant="acme"), context=ACME)
    await store.add_relation(rel("xy", "x", "y", weight=0.5, tenant="acme"), context=ACME)


class DictStore(GraphStore):
    """A user's own Tier 1 store (no context parameter anywhere), optionally without relation listing."""

    def __init__(self, list_relations=True, ignore_offset=False):
        self.entities, self.relations = {}, {}
        self.ignore_offset = ignore_offset
        if list_relations:
            self.get_outgoing_relations = self._outgoing

    async def initialize(self):
        self._is_initialized = True

    async def close(self):
        pass

    async def add_entity(self, entity):
        if entity.id in self.entities:
            raise ValueError(f"Entity with ID '{entity.id}' already exists")
        self.entities[entity.id] = entity

    async def get_entity(self, entity_id):
        return self.entities.get(entity_id)

    async def add_relation(self, relation):
        if relation.source_id not in self.entities or relation.target_id not in self.entities:
            raise ValueError("missing endpoint")
        self.relations[relation.id] = relation

    async def get_relation(self, relation_id):
        return self.relations.get(relation_id)

    async def get_neighbors(self, entity_id, relation_type=None, direction="outgoing"):
        return [self.entities[r.target_id] for r in self.relations.values() if r.source_id == entity_id]

    async def _outgoing(self, entity_id):
        return [r for r in self.relations.values() if r.source_id == entity_id]

    async def get_all_entities(self, entity_type=None, limit=None, offset=0):
        items = list(self.entities.values())
        if self.ignore_offset:
            offset = 0  # as the reference's PostgreSQL store did
        return items[offset:None if limit is None else offset + limit]

    async def get_stats(self):
        return {"entity_count": len(self.entities), "relation_count": len(self.relations)}


@pytest.fixture
async def source():
    s = InMemoryGraphStore()
    await s.initialize()
    await fill(s)
    yield s
    await s.close()


async def test_native_copy_is_exact_across_tenants(source, tmp_path, capsys):
    target = SQLiteGraphStore(str(tmp_path / "t.db"))
    report = await GraphStorageMigrator(source, target).migrate(batch_size=2)
    try:
        # graphstore's own migration when the native layer offers it, the interface copy otherwise.
        native = hasattr(gs.Store, "migrate_to")
        assert report["method"] == ("native" if native else "interface")
        assert (report["entities_migrated"], report["relations_migrated"]) == (5, 3)
        assert report["errors"] == [] and report["notes"] == []
        v = report["verification"]
        assert v["success"] and v["entity_match"] and v["relation_match"]
        assert v.get("content_match", True)
        assert (v["source_entities"], v["target_entities"], v["source_relations"], v["target_relations"]) == \
            (5, 5, 3, 3)
        assert report["duration_seconds"] >= 0
        a = await target.get_entity("a")
        assert (a.properties, a.created_at, a.updated_at, a.source) == ({"n": "a"}, TS, TS, "doc-a")
        assert a.embedding == [0.5, 0.25, -1.0]
        bc = await target.get_relation("bc")
        assert bc.weight == 0.0 and bc.created_at == TS and bc.source == "doc-bc"
        assert (await target.get_relation("ab")).properties == {"note": "x"}
        xy = await target.get_relation("xy", context=ACME)
        assert xy.weight == 0.5 and xy.tenant_id == "acme"
        assert await target.get_entity("x") is None, "a tenant's data stays in its tenant"
        assert "migrate:" in capsys.readouterr().err
    finally:
        await target.close()


async def test_no_progress_prints_nothing(source, capsys):
    target = InMemoryGraphStore()
    await GraphStorageMigrator(source, target).migrate(show_progress=False)
    assert capsys.readouterr().err == ""
    await target.close()


async def test_non_empty_target_uses_the_interface_and_reports_refusals(source):
    target = InMemoryGraphStore()
    await target.initialize()
    await target.add_entity(ent("a"))
    report = await GraphStorageMigrator(source, target).migrate(show_progress=False)
    assert report["method"] == "interface"
    assert report["entities_migrated"] == 4 and report["relations_migrated"] == 3
    assert any("1 of 3 entities refused" in e for e in report["errors"])
    assert report["verification"]["success"] is True  # same counts: a held the same id
    assert (await target.get_relation("xy", context=ACME)).weight == 0.5
    await target.close()


async def test_foreign_source_with_relation_listing(tmp_path):
    src = DictStore()
    await src.initialize()
    for i in ("a", "b"):
        await src.add_entity(ent(i))
    await src.add_relation(rel("ab", "a", "b", weight=0.0, k=1))
    target = SQLiteGraphStore(str(tmp_path / "t.db"))
    report = await GraphStorageMigrator(src, target).migrate(batch_size=1, show_progress=False)
    assert report["method"] == "interface"
    assert (report["entities_migrated"], report["relations_migrated"]) == (2, 1)
    assert report["verification"]["success"]
    got = await target.get_relation("ab")
    assert got.weight == 0.0 and got.properties == {"k": 1}
    await target.close()


async def test_foreign_source_without_relation_listing_says_so():
    src = DictStore(list_relations=False, ignore_offset=True)
    await src.initialize()
    for i in ("a", "b", "c"):
        await src.add_entity(ent(i))
    await src.add_relation(rel("ab", "a", "b"))
    target = InMemoryGraphStore()
    report = await GraphStorageMigrator(src, target).migrate(batch_size=2, show_progress=False)
    assert report["entities_migrated"] == 3, "a source ignoring offset still ends"
    assert report["relations_migrated"] == 0
    assert any("relations not copied" in n for n in report["notes"])
    assert report["verification"]["relation_match"] is False
    await target.close()


async def test_foreign_target_gets_the_global_namespace(source):
    target = DictStore()
    report = await GraphStorageMigrator(source, target).migrate(show_progress=False)
    assert sorted(target.entities) == ["a", "b", "c"] and sorted(target.relations) == ["ab", "bc"]
    assert any(n.startswith("acme: not copied") for n in report["notes"])
    assert target.relations["bc"].weight == 0.0


async def test_embeddings_survive_as_float32(source, tmp_path):
    target = SQLiteGraphStore(str(tmp_path / "t.db"))
    await GraphStorageMigrator(source, target).migrate(show_progress=False)
    v = (await target.get_entity("a")).get_embedding_vector()
    assert v.dtype == np.float32 and v.tolist() == [0.5, 0.25, -1.0]
    await target.close()
