"""Neighbours, traversal, paths and subgraphs of the drop-in stores: real relations, the reference's shapes."""
import pytest

from helpers import chain, ent, rel


async def diamond(store):
    """a->b, a->c, b->d, c->d, d->a (a cycle), plus a parallel a->b and a b->a."""
    for i in "abcd":
        await store.add_entity(ent(i))
    for rid, s, t, kind in (("r1", "a", "b", "KNOWS"), ("r2", "a", "c", "KNOWS"), ("r3", "b", "d", "KNOWS"),
                            ("r4", "c", "d", "LIKES"), ("r5", "d", "a", "KNOWS"), ("r6", "a", "b", "LIKES"),
                            ("r7", "b", "a", "KNOWS")):
        await store.add_relation(rel(rid, s, t, kind))


async def test_neighbours_in_three_directions_each_once(store):
    await diamond(store)
    ids = lambda es: sorted(e.id for e in es)  # noqa: E731
    assert ids(await store.get_neighbors("a")) == ["b", "c"]
    assert ids(await store.get_neighbors("a", direction="incoming")) == ["b", "d"]
    both = await store.get_neighbors("a", direction="both")
    assert ids(both) == ["b", "c", "d"]  # b is reached by r1, r6 and r7 but listed once
    assert ids(await store.get_neighbors("a", relation_type="LIKES")) == ["b"]
    assert await store.get_neighbors("a", direction="sideways") == []
    assert await store.get_neighbors("missing") == []


async def test_outgoing_and_incoming_relations_are_real(store):
    await diamond(store)
    out = await store.get_outgoing_relations("a")
    assert sorted(r.id for r in out) == ["r1", "r2", "r6"]  # the parallel a->b relations both kept
    inc = await store.get_incoming_relations("a")
    assert sorted(r.id for r in inc) == ["r5", "r7"]


async def test_traverse_returns_one_shortest_path_per_entity_with_real_relations(store):
    await chain(store, ["a", "b", "c", "d"])
    paths = await store.traverse("a", max_depth=3)
    assert [p.end_entity.id for p in paths] == ["b", "c", "d"]
    assert [[r.id for r in p.edges] for p in paths] == [["r_a_b"], ["r_a_b", "r_b_c"], ["r_a_b", "r_b_c", "r_c_d"]]
    assert all(p.start_entity.id == "a" for p in paths)
    assert [p.end_entity.id for p in await store.traverse("a", max_depth=1)] == ["b"]
    assert len(await store.traverse("a", max_results=2)) == 2
    assert await store.traverse("missing") == []


async def test_traverse_filters_relation_type(store):
    await diamond(store)
    paths = await store.traverse("a", relation_type="LIKES", max_depth=3)
    assert [p.end_entity.id for p in paths] == ["b"]
    assert paths[0].edges[0].id == "r6"


async def test_find_paths_all_simple_paths_shortest_first(store):
    await diamond(store)
    paths = await store.find_paths("a", "d", max_depth=5)
    lengths = [len(p.edges) for p in paths]
    assert lengths == sorted(lengths)
    routes = sorted(tuple(r.id for r in p.edges) for p in paths)
    assert routes == [("r1", "r3"), ("r2", "r4"), ("r6", "r3")]
    for p in paths:
        assert p.get_entity_ids()[0] == "a" and p.get_entity_ids()[-1] == "d"
    assert len(await store.find_paths("a", "d", max_paths=1)) == 1
    assert await store.find_paths("a", "missing") == []


async def test_find_paths_beyond_a_hundred_nodes(store):
    # The reference's default found nothing once the target was not among the
    # first max_paths*10 nodes a BFS discovered.
    await store.add_entities_bulk([ent(f"n{i:03}") for i in range(200)] + [ent("t")])
    await store.add_relations_bulk([rel(f"s{i:03}", "n000", f"n{i:03}") for i in range(1, 200)]
                                   + [rel("last", "n199", "t")])
    paths = await store.find_paths("n000", "t", max_depth=3)
    assert [[r.id for r in p.edges] for p in paths] == [["s199", "last"]]


async def test_subgraph_query_returns_real_relations(store):
    await diamond(store)
    entities, relations = await store.subgraph_query(["a", "b", "missing", "a"])
    assert [e.id for e in entities] == ["a", "b", "a"]  # input order, repeats kept, missing dropped
    assert sorted(r.id for r in relations) == ["r1", "r6", "r7"]
    assert {r.relation_type for r in relations} == {"KNOWS", "LIKES"}
    entities, relations = await store.subgraph_query(["a", "b"], include_relations=False)
    assert relations == []


async def test_get_all_entities_honours_type_offset_and_limit(store):
    await store.add_entities_bulk([ent(f"p{i}") for i in range(5)] + [ent("o1", "Org")])
    assert len(await store.get_all_entities()) == 6
    assert [e.id for e in await store.get_all_entities(entity_type="Org")] == ["o1"]
    page = await store.get_all_entities(entity_type="Person", limit=2, offset=1)
    assert [e.id for e in page] == ["p1", "p2"]
    assert await store.get_all_entities(limit=0) == []


@pytest.mark.parametrize("method", ["bm25", "jaccard", "cosine", "levenshtein"])
async def test_text_search_methods(store, method):
    await store.add_entity(ent("a", name="graph storage engine"))
    await store.add_entity(ent("b", name="cooking recipes"))
    hits = await store.text_search("graph storage", method=method, score_threshold=0.01)
    assert hits and hits[0][0].id == "a"
    assert all(isinstance(score, float) for _, score in hits)
    assert await store.text_search("") == []


async def test_text_search_unknown_method_raises_value_error(store):
    with pytest.raises(ValueError, match="Unknown text search method"):
        await store.text_search("x", method="soundex")
