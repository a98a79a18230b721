"""A user's own GraphStore subclass gets real Tier 2 defaults; the migrator and degradation wrapper."""
from graphstore.aiecs import (GracefulDegradationStore, GraphStorageMigrator, GraphStore, InMemoryGraphStore,
                              SQLiteGraphStore, TenantContext)
from helpers import chain, ent, rel


class DictStore(GraphStore):
    """A Tier 1 store in dicts, as a user might write one (no context parameter anywhere)."""

    async def initialize(self):
        self.entities, self.relations = {}, {}

    async def close(self):
        pass

    async def add_entity(self, entity):
        if entity.id in self.entities:
            raise ValueError("dup")
        self.entities[entity.id] = entity

    async def get_entity(self, entity_id):
        return self.entities.get(entity_id)

    async def add_relation(self, relation):
        self.relations[relation.id] = relation

    async def get_relation(self, relation_id):
        return self.relations.get(relation_id)

    async def get_neighbors(self, entity_id, relation_type=None, direction="outgoing"):
        return [self.entities[r.target_id] for r in self.relations.values() if r.source_id == entity_id]

    async def get_outgoing_relations(self, entity_id):
        return [r for r in self.relations.values() if r.source_id == entity_id]

    async def get_all_entities(self, entity_type=None, limit=None, offset=0):
        items = [e for e in self.entities.values() if entity_type is None or e.entity_type == entity_type]
        return items[offset:None if limit is None else offset + limit]


async def test_user_subclass_defaults_use_real_relations():
    s = DictStore()
    await s.initialize()
    await chain(s, ["a", "b", "c"])
    await s.add_relation(rel("short", "a", "c"))
    paths = await s.traverse("a")
    assert {tuple(r.id for r in p.edges) for p in paths} == {("r_a_b",), ("short",)}
    found = await s.find_paths("a", "c")
    assert [[r.id for r in p.edges] for p in found] == [["short"], ["r_a_b", "r_b_c"]]
    entities, relations = await s.subgraph_query(["a", "b"])
    assert [r.id for r in relations] == ["r_a_b"]
    assert await s.add_entities_bulk([ent("a"), ent("d")]) == 1
    await s.add_entity(ent("t", name="graph storage"))
    assert (await s.text_search("graph"))[0][0].id == "t"


async def test_migrator_copies_every_tenant_with_relations(tmp_path):
    source = InMemoryGraphStore()
    target = SQLiteGraphStore(str(tmp_path / "target.db"))
    await source.initialize()
    await chain(source, ["a", "b", "c"])
    await chain(source, ["x", "y"], context=TenantContext("acme"))
    r = rel("w0", "c", "a", weight=0.0, note="zero")
    await source.add_relation(r)
    report = await GraphStorageMigrator(source, target).migrate(batch_size=2)
    assert report["entities_migrated"] == 5 and report["relations_migrated"] == 4
    assert report["verification"]["success"] is True
    got = await target.get_relation("w0")
    assert got.weight == 0.0 and got.properties == {"note": "zero"}
    assert (await target.get_relation("r_x_y", context=TenantContext("acme"))) is not None
    await source.close()
    await target.close()


async def test_degradation_wrapper_serves_the_primary(tmp_path):
    path = str(tmp_path / "primary.db")
    wrapper = GracefulDegradationStore(SQLiteGraphStore(path), journal_path=str(tmp_path / "journal"))
    await wrapper.initialize()
    await chain(wrapper, ["a", "b"])
    assert [e.id for e in await wrapper.get_neighbors("a")] == ["b"]
    assert (await wrapper.get_stats())["mode"] == "normal"
    assert await wrapper.try_recover_primary() is True
    await wrapper.close()
    s = SQLiteGraphStore(path)
    await s.initialize()
    assert await s.get_relation("r_a_b") is not None
    await s.close()


async def test_degradation_wrapper_starts_degraded_and_serves_writes(tmp_path):
    from graphstore.aiecs import DegradationMode, PostgresGraphStore

    unreachable = PostgresGraphStore(host="127.0.0.1", port=1, user="x", password="y", database="z", timeout=1)
    wrapper = GracefulDegradationStore(unreachable, journal_path=str(tmp_path / "journal"))
    await wrapper.initialize()
    try:
        assert wrapper.status.mode == DegradationMode.DEGRADED and not wrapper.status.primary_available
        await chain(wrapper, ["a", "b"])
        assert [e.id for e in await wrapper.get_neighbors("a")] == ["b"]
        assert await wrapper.try_recover_primary() is False
    finally:
        await wrapper.close()


async def test_migrator_reads_a_user_store_through_its_methods():
    source = DictStore()
    await source.initialize()
    await chain(source, ["a", "b", "c"])
    target = InMemoryGraphStore()
    await target.initialize()
    report = await GraphStorageMigrator(source, target).migrate(batch_size=2, verify=False)
    assert (report["entities_migrated"], report["relations_migrated"]) == (3, 2)
    assert [p.end_entity.id for p in await target.traverse("a")] == ["b", "c"]
    await target.close()
