"""Path, PathPattern, QueryType, GraphQuery and GraphResult."""
import pytest

from graphstore.aiecs.models import (
    Entity, GraphQuery, GraphResult, Path, PathPattern, QueryType, Relation, TraversalDirection,
    ValidationError,
)


def ent(i):
    return Entity(id=i, entity_type="T")


def edge(a, b, t="R"):
    return Relation(id=f"{a}{b}", relation_type=t, source_id=a, target_id=b)


def test_path_helpers_and_str():
    p = Path(nodes=[ent("a"), ent("b"), ent("c")], edges=[edge("a", "b", "X"), edge("b", "c", "Y")],
             score=0.85)
    assert p.length == 2 and p.start_entity.id == "a" and p.end_entity.id == "c"
    assert p.get_entity_ids() == ["a", "b", "c"] and p.get_relation_types() == ["X", "Y"]
    assert p.contains_entity("b") and not p.contains_entity("z")
    assert p.contains_relation_type("Y") and not p.contains_relation_type("Z")
    assert str(p) == "Path(a -[X]-> b -[Y]-> c (score=0.850))"
    assert repr(p) == "Path(length=2, nodes=3, score=0.85)"
    single = Path(nodes=[ent("a")])
    assert single.edges == [] and single.length == 0 and single.score is None
    assert str(single) == "Path(Entity(id=a, type=T))"


def test_path_validation():
    with pytest.raises(ValidationError, match="at least 1 item"):
        Path(nodes=[])
    with pytest.raises(ValidationError, match="Field required"):
        Path()
    with pytest.raises(ValidationError, match=r"Number of edges \(2\) must be len\(nodes\) - 1 \(1\)"):
        Path(nodes=[ent("a"), ent("b")], edges=[edge("a", "b"), edge("b", "c")])
    with pytest.raises(ValidationError, match=r"Edge 0 source_id \(b\) doesn't match node 0 id \(a\)"):
        Path(nodes=[ent("a"), ent("b")], edges=[edge("b", "a")])
    with pytest.raises(ValidationError, match=r"Edge 0 target_id \(c\) doesn't match node 1 id \(b\)"):
        Path(nodes=[ent("a"), ent("b")], edges=[edge("a", "c")])
    with pytest.raises(ValidationError):
        Path(nodes=[ent("a")], score=1.5)
    with pytest.raises(ValidationError):
        Path(nodes=["a"])
    # Edges absent: any node list is accepted (the reference checks only given edges).
    assert Path(nodes=[ent("a"), ent("z")]).length == 0


def test_path_from_dicts_and_build():
    p = Path(nodes=[{"id": "a", "entity_type": "T"}, {"id": "b", "entity_type": "T"}],
             edges=[{"id": "r", "relation_type": "R", "source_id": "a", "target_id": "b"}])
    assert isinstance(p.nodes[0], Entity) and isinstance(p.edges[0], Relation)
    q = Path._build([ent("a")], [], None)
    assert q.get_entity_ids() == ["a"]


def test_query_type_values():
    assert [q.value for q in QueryType] == [
        "entity_lookup", "vector_search", "traversal", "path_finding", "subgraph", "custom"]


def test_graph_query_defaults():
    q = GraphQuery(query_type=QueryType.VECTOR_SEARCH)
    assert q.query_type == "vector_search" and type(q.query_type) is str
    assert (q.tenant_id, q.entity_id, q.entity_type, q.relation_type, q.embedding) == (None,) * 5
    assert q.properties == {} and q.custom_params == {}
    assert (q.max_results, q.max_depth, q.score_threshold) == (10, 3, 0.0)
    assert (q.source_entity_id, q.target_entity_id) == (None, None)
    assert (q.pattern, q.patterns, q.optional_patterns, q.projection, q.aggregations, q.group_by) == (None,) * 6
    assert GraphQuery(query_type="traversal").query_type == "traversal"
    assert list(q.model_dump())[:3] == ["query_type", "tenant_id", "entity_id"]


@pytest.mark.parametrize("kw", [
    {}, {"query_type": "nope"}, {"query_type": "traversal", "max_results": 0},
    {"query_type": "traversal", "max_depth": 11}, {"query_type": "traversal", "max_depth": 0},
    {"query_type": "traversal", "score_threshold": 1.1}, {"query_type": "traversal", "embedding": ["x"]},
    {"query_type": "traversal", "max_results": 2.5},
])
def test_graph_query_validation(kw):
    with pytest.raises(ValidationError):
        GraphQuery(**kw)


def test_graph_query_tenant_not_validated_and_str():
    q = GraphQuery(query_type="traversal", tenant_id="not valid!", entity_id="a", relation_type="K")
    assert q.tenant_id == "not valid!"
    assert str(q) == "GraphQuery(type=traversal) entity_id=a relation_type=K"


def test_path_pattern():
    p = PathPattern()
    assert (p.relation_types, p.entity_types, p.direction, p.max_depth, p.allow_cycles,
            p.required_relation_sequence, p.min_path_length, p.excluded_entity_ids) == \
        (None, None, "outgoing", 3, False, None, 1, set())
    p = PathPattern(relation_types=["A", "B"], required_relation_sequence=["A", "B"], max_depth=2,
                    direction=TraversalDirection.BOTH, excluded_entity_ids={"x"}, entity_types=["T"])
    assert p.direction == "both"
    assert p.is_relation_allowed("A", 0) and not p.is_relation_allowed("B", 0)
    assert not p.is_relation_allowed("A", 2)
    assert not p.is_entity_allowed("x", "T") and p.is_entity_allowed("y", "T")
    assert not p.is_entity_allowed("y", "U")
    assert p.is_valid_path_length(2) and not p.is_valid_path_length(3)
    assert p.should_continue_traversal(1) and not p.should_continue_traversal(2)
    assert str(p) == "PathPattern(depth=2, relations=A,B, entities=T, sequence=A -> B)"
    with pytest.raises(ValidationError):
        PathPattern(max_depth=11)
    with pytest.raises(ValidationError):
        PathPattern(min_path_length=0)
    q = GraphQuery(query_type="custom", pattern={"max_depth": 2}, patterns=[p])
    assert isinstance(q.pattern, PathPattern) and q.pattern.max_depth == 2


def test_graph_result():
    q = GraphQuery(query_type="vector_search")
    r = GraphResult(query=q)
    assert (r.entities, r.relations, r.paths, r.scores, r.total_count, r.execution_time_ms) == \
        ([], [], [], [], 0, None)
    assert not r.has_results and r.entity_count == 0 and r.path_count == 0
    assert str(r) == "GraphResult(entities=0, paths=0)"
    r = GraphResult(query=q, entities=[ent("a"), ent("b"), ent("c")], scores=[0.2, 0.9, 0.5],
                    total_count=3, execution_time_ms=1.5)
    assert [e.id for e in r.get_top_entities(2)] == ["b", "c"]
    assert r.get_entity_ids() == ["a", "b", "c"] and r.has_results
    assert str(r) == "GraphResult(entities=3, paths=0) time=1.50ms"
    assert repr(r) == "GraphResult(entities=3, relations=0, paths=0, total_count=3)"
    unscored = GraphResult(query=q, entities=[ent("a"), ent("b")])
    assert [e.id for e in unscored.get_top_entities(1)] == ["a"]
    only_rel = GraphResult(query=q, relations=[edge("a", "b")])
    assert not only_rel.has_results
    p = GraphResult(query=q, paths=[Path(nodes=[ent("a")])])
    assert p.has_results and p.path_count == 1
    for bad in ({"query": q, "total_count": -1}, {"query": q, "execution_time_ms": -1.0}, {}):
        with pytest.raises(ValidationError):
            GraphResult(**bad)


def test_graph_query_embedding_from_numpy():
    import numpy as np

    q = GraphQuery(query_type="vector_search", embedding=np.array([0.5, 1.0], dtype=np.float32))
    assert q.embedding == [0.5, 1.0] and all(type(x) is float for x in q.embedding)
