"""A user's own GraphStore subclass gets real Tier 2 defaults (the degradation wrapper and the migrator are tested in ../aiecs_ops)."""
from graphstore.aiecs import GraphStore
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
