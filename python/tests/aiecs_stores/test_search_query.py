"""vector_search on the reference's (cos+1)/2 scale, and execute_query's GraphResult."""
import numpy as np
import pytest

from graphstore.aiecs import Entity, GraphQuery, GraphResult, QueryType, TenantContext
from helpers import chain


async def vectors(store):
    await store.add_entity(Entity(id="same", entity_type="Doc", embedding=[1.0, 0.0]))
    await store.add_entity(Entity(id="orth", entity_type="Doc", embedding=[0.0, 1.0]))
    await store.add_entity(Entity(id="opp", entity_type="Doc", embedding=[-1.0, 0.0]))
    await store.add_entity(Entity(id="other", entity_type="Img", embedding=[1.0, 0.0]))
    await store.add_entity(Entity(id="none", entity_type="Doc"))


async def test_vector_scores_on_the_reference_scale(store):
    await vectors(store)
    hits = await store.vector_search([1.0, 0.0], entity_type="Doc")
    assert [(e.id, round(s, 6)) for e, s in hits] == [("same", 1.0), ("orth", 0.5), ("opp", 0.0)]


async def test_vector_threshold_keeps_its_meaning(store):
    await vectors(store)
    hits = await store.vector_search(np.array([1.0, 0.0], dtype=np.float32), score_threshold=0.5)
    assert sorted(e.id for e, _ in hits) == ["orth", "other", "same"]
    hits = await store.vector_search([1.0, 0.0], max_results=1)
    assert len(hits) == 1 and hits[0][1] == pytest.approx(1.0)


async def test_vector_search_edge_cases(store):
    await vectors(store)
    with pytest.raises(ValueError, match="cannot be empty"):
        await store.vector_search([])
    assert await store.vector_search([0.0, 0.0]) == []


async def test_execute_query_routes(store):
    await chain(store, ["a", "b", "c"])
    await store.add_entity(Entity(id="v", entity_type="Doc", embedding=[1.0, 0.0]))
    result = await store.execute_query(GraphQuery(query_type=QueryType.ENTITY_LOOKUP, entity_id="a"))
    assert isinstance(result, GraphResult) and [e.id for e in result.entities] == ["a"]
    result = await store.execute_query(GraphQuery(query_type=QueryType.TRAVERSAL, entity_id="a", max_depth=2))
    assert [e.id for e in result.entities] == ["a", "b", "c"] and len(result.paths) == 2
    result = await store.execute_query(GraphQuery(query_type=QueryType.PATH_FINDING, source_entity_id="a",
                                                  target_entity_id="c"))
    assert result.entities == [] and [p.get_entity_ids() for p in result.paths] == [["a", "b", "c"]]
    result = await store.execute_query(GraphQuery(query_type=QueryType.VECTOR_SEARCH, embedding=[1.0, 0.0]))
    assert [e.id for e in result.entities] == ["v"] and result.scores == [pytest.approx(1.0)]
    assert result.execution_time_ms >= 0


async def test_execute_query_tenant_overrides_context(store):
    await chain(store, ["a", "b"], context=TenantContext("t1"))
    result = await store.execute_query(GraphQuery(query_type=QueryType.ENTITY_LOOKUP, entity_id="a", tenant_id="t1"))
    assert [e.id for e in result.entities] == ["a"]
    result = await store.execute_query(GraphQuery(query_type=QueryType.ENTITY_LOOKUP, entity_id="a"))
    assert result.entities == []
