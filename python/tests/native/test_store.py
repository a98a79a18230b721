"""Every Store method on the local backends: Tier 1, Tier 2, bulk, batches,
scans, stats, clear, errors per status, tenants."""
import pytest

import graphstore as gs


def chain(store, n=4, tenant=None):
    """e0 -> e1 -> ... -> e{n-1}, relations r0..r{n-2} of type 'next'."""
    for i in range(n):
        store.add_entity(gs.Entity(f"e{i}", "Node" if i % 2 == 0 else "Other", {"i": i}), tenant=tenant)
    for i in range(n - 1):
        store.add_relation(gs.Relation(f"r{i}", "next", f"e{i}", f"e{i+1}"), tenant=tenant)


def test_plugin_info(any_store):
    info = any_store.plugin
    assert info.id in ("inmemory", "sqlite")
    assert info.abi_major >= 1 and isinstance(info.capabilities, list)
    assert info.nonblocking == ("nonblocking" in info.capabilities)


def test_crud_entities(any_store):
    s = any_store
    s.add_entity(gs.Entity("a", "T", {"v": 1}))
    with pytest.raises(gs.AlreadyExistsError) as err:
        s.add_entity(gs.Entity("a", "T"))
    assert err.value.code == "ALREADY_EXISTS" and "a" in err.value.message
    s.update_entity(gs.Entity("a", "U", {"v": 2}))
    assert s.get_entity("a").entity_type == "U"
    with pytest.raises(gs.NotFoundError):
        s.update_entity(gs.Entity("zz", "U"))
    s.delete_entity("a")
    assert s.get_entity("a") is None
    with pytest.raises(gs.NotFoundError):
        s.delete_entity("a")


def test_crud_relations(any_store):
    s = any_store
    chain(s, 2)
    with pytest.raises(gs.NotFoundError):
        s.add_relation(gs.Relation("bad", "next", "e0", "missing"))
    with pytest.raises(gs.AlreadyExistsError):
        s.add_relation(gs.Relation("r0", "next", "e0", "e1"))
    with pytest.raises(gs.InvalidArgumentError):
        s.add_relation(gs.Relation("w", "next", "e0", "e1", weight=2.0))
    s.update_relation(gs.Relation("r0", "next", "e0", "e1", {"x": 1}, weight=0.5))
    assert s.get_relation("r0").weight == 0.5
    assert s.get_relation("nope") is None
    s.delete_relation("r0")
    with pytest.raises(gs.NotFoundError):
        s.delete_relation("r0")


def test_delete_entity_cascades(any_store):
    chain(any_store, 3)
    any_store.delete_entity("e1")
    assert any_store.get_relation("r0") is None and any_store.get_relation("r1") is None


def test_neighbors_three_directions(any_store):
    chain(any_store, 3)
    out = any_store.neighbors("e1")
    assert [(n.relation.id, n.entity.id) for n in out] == [("r1", "e2")]
    inn = any_store.neighbors("e1", "in")
    assert [(n.relation.id, n.entity.id) for n in inn] == [("r0", "e0")]
    both = any_store.neighbors("e1", direction="both")
    assert sorted(n.entity.id for n in both) == ["e0", "e2"]
    assert any_store.neighbors("e1", "both", relation_type="other") == []
    assert any_store.neighbors("missing") == []
    with pytest.raises(gs.InvalidArgumentError):
        any_store.neighbors("e1", "sideways")


def test_invalid_ids_are_invalid_argument(any_store):
    with pytest.raises(gs.InvalidArgumentError):
        any_store.get_entity("")
    with pytest.raises(TypeError):
        any_store.get_entity(5)


def test_traverse_find_paths_subgraph(any_store):
    chain(any_store, 4)
    t = any_store.traverse("e0", max_depth=2)
    hits = [(h.entity.id, h.depth) for h in t.hits if h.depth > 0]
    assert hits == [("e1", 1), ("e2", 2)]
    assert [h.via.id for h in t.hits if h.depth > 0] == ["r0", "r1"]
    assert not t.truncated
    p = any_store.find_paths("e0", "e3")
    assert len(p.paths) == 1
    assert [e.id for e in p.paths[0].entities] == ["e0", "e1", "e2", "e3"]
    assert [r.id for r in p.paths[0].relations] == ["r0", "r1", "r2"]
    assert any_store.find_paths("e0", "e3", max_depth=2).paths == []
    g = any_store.subgraph(["e0", "e1", "nope"])
    assert [e.id for e in g.entities] == ["e0", "e1"] and [r.id for r in g.relations] == ["r0"]


def test_get_all_entities_and_scans(any_store):
    chain(any_store, 5)
    assert [e.id for e in any_store.get_all_entities()] == ["e0", "e1", "e2", "e3", "e4"]
    assert [e.id for e in any_store.get_all_entities("Node")] == ["e0", "e2", "e4"]
    assert [e.id for e in any_store.get_all_entities(offset=1, limit=2)] == ["e1", "e2"]
    assert [e.id for e in any_store.scan_entities(after_id="e2")] == ["e3", "e4"]
    assert [r.id for r in any_store.scan_relations("next", limit=2)] == ["r0", "r1"]
    assert [e.id for e in any_store.scan_entities(page_size=2)] == ["e0", "e1", "e2", "e3", "e4"]


def test_scan_is_lazy(store):
    store.add_entities_bulk([gs.Entity(f"e{i:05}", "T") for i in range(10_000)])
    it = store.scan_entities(page_size=1000)
    first = [next(it) for _ in range(10)]
    assert [e.id for e in first] == [f"e{i:05}" for i in range(10)]
    assert it.pages == 1
    assert sum(1 for _ in it) == 9_990
    assert it.pages == 10 or it.pages == 11
    limited = store.scan_entities(limit=2500, page_size=1000)
    assert len(list(limited)) == 2500 and limited.pages == 3


def test_bulk_adds_report_skips(any_store):
    result = any_store.add_entities_bulk([gs.Entity("a", "T"), gs.Entity("a", "T"), gs.Entity("", "T"),
                                          gs.Entity("b", "T")])
    assert result.added == 2
    assert [i for i, _ in result.skipped] == [1, 2]
    assert isinstance(result.skipped[0][1], gs.AlreadyExistsError)
    assert isinstance(result.skipped[1][1], gs.InvalidArgumentError)
    rel = any_store.add_relations_bulk([gs.Relation("r", "x", "a", "b"), gs.Relation("q", "x", "a", "zz")])
    assert rel.added == 1 and rel.skipped[0][0] == 1


def test_batch_commits_atomically(any_store):
    with any_store.batch() as b:
        b.add_entity(gs.Entity("a", "T"))
        b.add_entity(gs.Entity("b", "T"))
        b.add_relation(gs.Relation("r", "x", "a", "b"))
    assert any_store.stats().entity_count == 2 and any_store.get_relation("r") is not None


def test_batch_failure_applies_nothing(any_store):
    any_store.add_entity(gs.Entity("a", "T"))
    with pytest.raises(gs.AlreadyExistsError) as err:
        with any_store.batch() as b:
            b.add_entity(gs.Entity("new", "T"))
            b.add_entity(gs.Entity("a", "T"))
    assert err.value.index == 1
    assert any_store.get_entity("new") is None


def test_batch_discarded_when_block_raises(any_store):
    with pytest.raises(RuntimeError):
        with any_store.batch() as b:
            b.add_entity(gs.Entity("a", "T"))
            raise RuntimeError("stop")
    assert any_store.get_entity("a") is None


def test_stats_clear_and_tenants(any_store):
    chain(any_store, 3)
    chain(any_store, 2, tenant="acme")
    st = any_store.stats()
    assert (st.entity_count, st.relation_count) == (3, 2)
    assert st.entities_by_type == {"Node": 2, "Other": 1} and st.relations_by_type == {"next": 2}
    assert any_store.stats(tenant="acme").entity_count == 2
    assert any_store.list_tenants() == ["acme"]
    assert any_store.get_entity("e0", tenant="acme").tenant_id == "acme"
    removed = any_store.clear(tenant="acme")
    assert (removed.entities, removed.relations) == (2, 1)
    assert any_store.stats().entity_count == 3
    chain(any_store, 2, tenant="beta")
    removed = any_store.clear(all_tenants=True)
    assert removed.entities == 5
    assert any_store.stats().entity_count == 0 and any_store.list_tenants() == []


def test_store_default_tenant(tmp_path):
    with gs.open_backend("inmemory", tenant="acme") as s:
        assert s.tenant == "acme"
        s.add_entity(gs.Entity("a", "T"))
        assert s.list_tenants() == ["acme"]
        assert s.get_entity("a", tenant="") is None
        assert s.get_entity("a").tenant_id == "acme"


def test_invalid_tenant(store):
    with pytest.raises(gs.InvalidArgumentError):
        store.add_entity(gs.Entity("a", "T"), tenant="bad tenant!")


def test_delete_by_source(any_store):
    any_store.add_entity(gs.Entity("a", "T", source="doc1"))
    any_store.add_entity(gs.Entity("b", "T", source="doc2"))
    any_store.add_relation(gs.Relation("r", "x", "b", "a"))
    removed = any_store.delete_by_source("doc1")
    assert (removed.entities, removed.relations) == (1, 1)
    assert any_store.get_entity("b") is not None


def test_vector_and_text_search(any_store):
    import numpy as np
    any_store.add_entity(gs.Entity("x", "Doc", {"text": "graph storage engine"}, embedding=[1, 0, 0]))
    any_store.add_entity(gs.Entity("y", "Doc", {"text": "cooking recipes"}, embedding=[0, 1, 0]))
    any_store.add_entity(gs.Entity("z", "Img", {"text": "graph drawing"}, embedding=[-1, 0, 0]))
    hits = any_store.vector_search(np.array([1, 0, 0], dtype=np.float32), k=3)
    assert [h.entity.id for h in hits] == ["x", "y", "z"]
    assert hits[0].score == pytest.approx(1.0) and hits[2].score == pytest.approx(-1.0)
    assert [h.entity.id for h in any_store.vector_search([1, 0, 0], entity_type="Img")] == ["z"]
    assert [h.entity.id for h in any_store.vector_search([1, 0, 0], min_score=0.5)] == ["x"]
    hits = any_store.text_search("graph", k=5)
    assert {h.entity.id for h in hits} == {"x", "z"}
    assert any_store.text_search("graph", method="jaccard", entity_type="Doc")[0].entity.id == "x"
    with pytest.raises(gs.InvalidArgumentError):
        any_store.text_search("graph", method="nope")
    with pytest.raises(gs.InvalidArgumentError):
        any_store.vector_search([])


class Query:
    def __init__(self, **kw):
        self.__dict__.update(kw)


def test_execute_query(any_store):
    chain(any_store, 3)
    r = any_store.execute_query(Query(query_type="entity_lookup", entity_id="e1"))
    assert [e.id for e in r.entities] == ["e1"]
    r = any_store.execute_query(Query(query_type="path_finding", source_entity_id="e0", target_entity_id="e2",
                                      max_depth=3, max_results=10))
    assert len(r.paths) == 1
    with pytest.raises(gs.UnsupportedError):
        any_store.execute_query(Query(query_type="custom"))


def test_health_and_metrics(any_store):
    assert any_store.probe() >= 0.0
    any_store.enable_metrics()
    any_store.get_entity("a")
    assert isinstance(any_store.metrics_text(), str)
    assert isinstance(any_store.state(), dict)


def test_close_idempotent_and_closed_raises():
    s = gs.open_backend("inmemory")
    s.close()
    s.close()
    assert s.closed
    with pytest.raises(gs.FailedPreconditionError) as err:
        s.get_entity("a")
    assert err.value.code == "FAILED_PRECONDITION"
    assert isinstance(err.value, gs.Error)


def test_open_backend_options_and_errors(tmp_path):
    with pytest.raises(gs.Error) as err:
        gs.open_backend("no_such_plugin")
    assert err.value.code == "NOT_FOUND"
    with pytest.raises(gs.InvalidArgumentError):
        gs.open_backend("sqlite", {"no_such_option": 1})
    path = tmp_path / "x.db"
    with gs.open_backend("sqlite", f'{{"path": "{path}"}}') as s:
        s.add_entity(gs.Entity("a", "T"))
    with gs.open_backend("sqlite", {"path": str(path)}) as s:
        assert s.get_entity("a") is not None


def test_registry_lists_plugins():
    reg = gs.Registry()
    ids = [p.id for p in reg.plugins()]
    assert "inmemory" in ids and "sqlite" in ids
    with reg.open("inmemory") as s:
        assert s.plugin.id == "inmemory"


def test_hot_methods_arguments(store):
    store.add_entity(entity=gs.Entity("a", "T"), tenant="")
    assert store.get_entity(id="a").id == "a"
    assert store.get_entity("a", tenant="acme") is None
    with pytest.raises(TypeError, match="unexpected keyword"):
        store.get_entity("a", tenant_id="x")
    with pytest.raises(TypeError, match="positional"):
        store.get_entity("a", "b")
    with pytest.raises(TypeError, match="missing"):
        store.add_relation()
    assert "tenant" in gs.Store.get_entity.__doc__


def test_neighbor_entities(any_store):
    chain(any_store, 3)
    assert [e.id for e in any_store.neighbor_entities("e1", "both")] == ["e0", "e2"]
    assert any_store.neighbor_entities("missing") == []


def test_neighbor_entities_distinct_and_arguments(any_store):
    for i in "abc":
        any_store.add_entity(gs.Entity(i, "T"))
    for rid, s, t in (("r1", "a", "c"), ("r2", "a", "b"), ("r3", "a", "c")):
        any_store.add_relation(gs.Relation(rid, "R", s, t))
    assert [e.id for e in any_store.neighbor_entities("a")] == ["c", "b", "c"]
    assert [e.id for e in any_store.neighbor_entities("a", distinct=True)] == ["c", "b"]
    assert [e.id for e in any_store.neighbor_entities(id="a", direction="out", relation_type="R",
                                                      tenant="", distinct=True)] == ["c", "b"]
    assert any_store.neighbor_entities("a", "out", "OTHER", distinct=True) == []
    with pytest.raises(gs.InvalidArgumentError, match="direction"):
        any_store.neighbor_entities("a", "sideways")
    with pytest.raises(TypeError, match="unexpected"):
        any_store.neighbor_entities("a", bogus=1)
    with pytest.raises(TypeError, match="positional"):
        any_store.neighbor_entities("a", "out", None, "")  # tenant is keyword-only
    with pytest.raises(TypeError, match="missing"):
        any_store.neighbor_entities()


def test_flat_properties_round_trip_exactly(any_store):
    # Flat dicts of str/int/bool/None take the direct JSON writer; the rest the general one.
    props = {"q": 'say "hi"\\now', "ctl": "a\x01\x1fb\tc\r\n\b\f", "uni": "héllo ✓ 𝄞", "": "empty key",
             "big": 2 ** 63 - 1, "neg": -(2 ** 63), "huge": 2 ** 70, "t": True, "f": False, "n": None, "z": 0}
    any_store.add_entity(gs.Entity("p", "T", properties=props))
    assert any_store.get_entity("p").properties == props
    nested = {"a": [1, 2.5, {"b": None}], "s": "x"}
    any_store.add_entity(gs.Entity("q", "T", properties=nested))
    assert any_store.get_entity("q").properties == nested
    with pytest.raises(gs.InvalidArgumentError, match="surrogate"):
        any_store.add_entity(gs.Entity("r", "T", properties={"bad": "\ud800"}))
    with pytest.raises(gs.InvalidArgumentError, match="not a string"):
        any_store.add_entity(gs.Entity("r", "T", properties={1.5: "x"}))


def test_bulk_into_tenant_stores_under_the_call_tenant(any_store):
    records = [gs.Entity("a", "T", tenant_id="other"), gs.Entity("b", "T")]
    result = any_store.add_entities_bulk(records, tenant="acme", into_tenant=True)
    assert result.added == 2 and not result.skipped
    assert any_store.get_entity("a", tenant="acme").tenant_id == "acme"
    assert any_store.get_entity("a", tenant="other") is None
    assert records[0].tenant_id == "other"  # the caller's object is unchanged
    rels = [gs.Relation("r", "R", "a", "b", tenant_id="other")]
    assert any_store.add_relations_bulk(rels, tenant="acme", into_tenant=True).added == 1
    assert any_store.get_relation("r", tenant="acme").tenant_id == "acme"
