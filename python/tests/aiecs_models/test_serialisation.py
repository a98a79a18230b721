"""The reference's dump shapes (AIECS_API.md §1.6), copies and round trips."""
import copy
import json
import pickle
from datetime import datetime

from graphstore.aiecs.models import Entity, GraphQuery, GraphResult, Path, Relation

TS = datetime(2025, 12, 9, 10, 11, 12, 123456)


def test_entity_dump_keys_and_values():
    e = Entity(id="a", entity_type="T", properties={"k": [1, {"n": 2}]}, embedding=[0.5],
               created_at=TS, updated_at=datetime(2025, 12, 9, 10, 11, 12), source="doc", tenant_id="t")
    d = e.model_dump()
    assert list(d) == ["id", "entity_type", "properties", "embedding", "created_at", "updated_at",
                       "source", "tenant_id"]
    assert d["created_at"] == TS and isinstance(d["created_at"], datetime)
    assert d["properties"] == {"k": [1, {"n": 2}]} and d["properties"] is not e.properties
    j = json.loads(e.model_dump_json())
    assert j["created_at"] == "2025-12-09T10:11:12.123456"
    assert j["updated_at"] == "2025-12-09T10:11:12"  # no microseconds when zero, no suffix
    assert e.dict() == d and json.loads(e.json()) == j


def test_relation_dump_keys():
    r = Relation(id="r", relation_type="R", source_id="a", target_id="b", created_at=TS)
    assert list(r.model_dump()) == ["id", "relation_type", "source_id", "target_id", "properties",
                                    "weight", "created_at", "source", "tenant_id"]


def test_round_trip_through_json_and_dict():
    e = Entity(id="a", entity_type="T", properties={"x": "y"}, embedding=[0.25], created_at=TS,
               updated_at=TS, tenant_id="acme")
    assert Entity(**json.loads(e.model_dump_json())) == e
    assert Entity.model_validate(e.model_dump()) == e
    assert Entity.model_validate_json(e.model_dump_json()) == e
    r = Relation(id="r", relation_type="R", source_id="a", target_id="b", weight=0.0, created_at=TS)
    assert Relation(**json.loads(r.model_dump_json())) == r


def test_dump_options():
    e = Entity(id="a", entity_type="T", created_at=TS, updated_at=TS)
    assert e.model_dump(include={"id"}) == {"id": "a"}
    assert "source" not in e.model_dump(exclude_none=True)
    assert "properties" not in e.model_dump(exclude={"properties"})
    assert e.model_dump_json(indent=2).startswith("{\n  \"id\"")


def test_nested_dumps():
    q = GraphQuery(query_type="traversal")
    res = GraphResult(query=q, entities=[Entity(id="a", entity_type="T", created_at=TS, updated_at=TS)],
                      paths=[Path(nodes=[Entity(id="a", entity_type="T", created_at=TS, updated_at=TS)])])
    d = res.model_dump()
    assert d["query"]["query_type"] == "traversal"
    assert d["entities"][0]["created_at"] == TS
    assert json.loads(res.model_dump_json())["paths"][0]["nodes"][0]["id"] == "a"


def test_model_copy():
    e = Entity(id="a", entity_type="T", properties={"k": 1}, tenant_id="t")
    c = e.model_copy(update={"id": "b"})
    assert (c.id, e.id) == ("b", "a")
    assert c.properties is e.properties  # shallow, as pydantic
    d = e.model_copy(deep=True)
    assert d == e and d.properties is not e.properties
    assert copy.copy(e) == e and copy.deepcopy(e) == e


def test_pickle():
    e = Entity._from_store("a", "T", '{"k": 1}', None, 5, 6, None, "t")
    assert pickle.loads(pickle.dumps(e)) == e
    r = Relation(id="r", relation_type="R", source_id="a", target_id="b")
    assert pickle.loads(pickle.dumps(r)) == r


def test_store_record_dump_is_naive_utc():
    e = Entity._from_store("a", "T", "{}", None, 1_765_275_072_123_456, 1_765_275_072_000_000, None, "")
    j = json.loads(e.model_dump_json())
    assert j["created_at"] == "2025-12-09T10:11:12.123456"
    assert j["updated_at"] == "2025-12-09T10:11:12"
    assert j["tenant_id"] is None


def test_model_fields():
    assert list(Entity.model_fields) == ["id", "entity_type", "properties", "embedding", "created_at",
                                         "updated_at", "source", "tenant_id"]
    assert "updated_at" not in Relation.model_fields


def test_json_dump_has_no_nan_tokens():
    e = Entity(id="a", entity_type="T", embedding=[float("nan"), 1.0], properties={"x": float("inf")})
    j = json.loads(e.model_dump_json())
    assert j["embedding"] == [None, 1.0] and j["properties"] == {"x": None}
    assert e.model_dump()["properties"]["x"] == float("inf")
