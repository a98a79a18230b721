"""Entity: fields, defaults, validation, helpers, laziness of store records."""
from datetime import datetime, timedelta, timezone

import numpy as np
import pytest

from graphstore.aiecs.models import Entity, ValidationError


def test_required_fields_and_defaults():
    before = datetime.utcnow()
    e = Entity(id="e1", entity_type="Person")
    after = datetime.utcnow()
    assert (e.id, e.entity_type) == ("e1", "Person")
    assert e.properties == {} and e.embedding is None
    assert e.source is None and e.tenant_id is None
    assert e.created_at.tzinfo is None and before - timedelta(seconds=1) <= e.created_at <= after + timedelta(seconds=1)
    assert e.updated_at.tzinfo is None


def test_default_properties_are_not_shared():
    a, b = Entity(id="a", entity_type="T"), Entity(id="b", entity_type="T")
    a.properties["x"] = 1
    assert b.properties == {}


def test_given_properties_are_copied():
    props = {"name": "x"}
    e = Entity(id="a", entity_type="T", properties=props)
    props["name"] = "changed"
    assert e.properties == {"name": "x"}


def test_keyword_only():
    with pytest.raises(TypeError):
        Entity("a", "T")


@pytest.mark.parametrize("kwargs,loc,type_", [
    ({"entity_type": "T"}, ("id",), "missing"),
    ({"id": "a"}, ("entity_type",), "missing"),
    ({"id": 1, "entity_type": "T"}, ("id",), "string_type"),
    ({"id": "a", "entity_type": None}, ("entity_type",), "string_type"),
    ({"id": "a", "entity_type": "T", "properties": [1]}, ("properties",), "dict_type"),
    ({"id": "a", "entity_type": "T", "properties": None}, ("properties",), "dict_type"),
    ({"id": "a", "entity_type": "T", "embedding": "abc"}, ("embedding",), "list_type"),
    ({"id": "a", "entity_type": "T", "embedding": [1.0, "x"]}, ("embedding", 1), "float_parsing"),
    ({"id": "a", "entity_type": "T", "embedding": [1.0, None]}, ("embedding", 1), "float_type"),
    ({"id": "a", "entity_type": "T", "created_at": "yesterday"}, ("created_at",), "datetime_from_date_parsing"),
    ({"id": "a", "entity_type": "T", "updated_at": None}, ("updated_at",), "datetime_type"),
    ({"id": "a", "entity_type": "T", "source": 5}, ("source",), "string_type"),
])
def test_validation_errors_name_the_field(kwargs, loc, type_):
    with pytest.raises(ValidationError) as info:
        Entity(**kwargs)
    err = info.value
    assert isinstance(err, ValueError)
    assert (loc, type_) in [(e["loc"], e["type"]) for e in err.errors()]
    assert str(err).startswith("1 validation error for Entity")
    assert ".".join(map(str, loc)) in str(err)


def test_all_errors_reported_at_once():
    with pytest.raises(ValidationError) as info:
        Entity(id=1, entity_type=2)
    assert info.value.error_count() == 2
    assert str(info.value).startswith("2 validation errors for Entity")


def test_empty_id_and_type_are_accepted():
    e = Entity(id="", entity_type="")
    assert e.id == "" and e.entity_type == ""


def test_embedding_numbers():
    e = Entity(id="a", entity_type="T", embedding=[1, 2.5, True, float("nan")])
    assert e.embedding[:3] == [1.0, 2.5, 1.0] and all(type(x) is float for x in e.embedding)
    assert Entity(id="a", entity_type="T", embedding=(0.5, 0.25)).embedding == [0.5, 0.25]
    assert Entity(id="a", entity_type="T", embedding=[]).embedding == []


def test_embedding_numpy_in():
    arr = np.array([0.5, 0.25], dtype=np.float32)
    e = Entity(id="a", entity_type="T", embedding=arr)
    assert e.embedding == [0.5, 0.25]
    with pytest.raises(ValidationError):
        Entity(id="a", entity_type="T", embedding=np.zeros((2, 2)))
    with pytest.raises(ValidationError):
        Entity(id="a", entity_type="T", embedding=np.array(["x", "y"]))


def test_timestamps_parsed_from_iso_strings():
    e = Entity(id="a", entity_type="T", created_at="2025-12-09T10:11:12.123456",
               updated_at="2025-12-09T10:11:12")
    assert e.created_at == datetime(2025, 12, 9, 10, 11, 12, 123456)
    assert e.updated_at == datetime(2025, 12, 9, 10, 11, 12)
    aware = Entity(id="a", entity_type="T", created_at="2025-12-09T10:11:12Z").created_at
    assert aware == datetime(2025, 12, 9, 10, 11, 12, tzinfo=timezone.utc)


def test_tenant_id_validated():
    assert Entity(id="a", entity_type="T", tenant_id="acme-corp_1").tenant_id == "acme-corp_1"
    for bad in ["", "acme corp", "acme\n", "a" * 256, "acme@corp", 5]:
        with pytest.raises(ValidationError) as info:
            Entity(id="a", entity_type="T", tenant_id=bad)
        (entry,) = info.value.errors()
        assert entry["type"] == "value_error"
        assert "Invalid tenant_id format" in entry["msg"]


def test_unknown_keywords_ignored():
    e = Entity(id="a", entity_type="T", colour="red")
    assert not hasattr(e, "colour")


def test_no_validation_on_assignment():
    e = Entity(id="a", entity_type="T", tenant_id="acme")
    e.tenant_id = ""
    e.properties = {"x": 1}
    assert e.tenant_id == "" and e.properties == {"x": 1}


def test_embedding_vector_helpers():
    e = Entity(id="a", entity_type="T", embedding=[0.5, 1.5])
    v = e.get_embedding_vector()
    assert v.dtype == np.float32 and v.tolist() == [0.5, 1.5]
    e.set_embedding_vector(np.array([1.0, 2.0, 3.0]))
    assert e.embedding == [1.0, 2.0, 3.0]
    assert Entity(id="b", entity_type="T").get_embedding_vector() is None


def test_property_helpers_refresh_updated_at():
    e = Entity(id="a", entity_type="T", properties={"k": 1},
               updated_at=datetime(2020, 1, 1))
    assert e.get_property("k") == 1 and e.get_property("missing", 7) == 7
    e.set_property("k", 2)
    assert e.properties["k"] == 2
    assert e.updated_at > datetime(2025, 1, 1) and e.updated_at.tzinfo is None


def test_str_and_repr():
    e = Entity(id="a", entity_type="T", properties={"x": 1, "y": 2})
    assert str(e) == "Entity(id=a, type=T)"
    assert repr(e) == "Entity(id='a', entity_type='T', properties=2 keys)"


def test_equality_by_value():
    ts = datetime(2025, 1, 1)
    a = Entity(id="a", entity_type="T", properties={"x": 1}, created_at=ts, updated_at=ts)
    b = Entity(id="a", entity_type="T", properties={"x": 1}, created_at=ts, updated_at=ts)
    assert a == b
    b.properties["x"] = 2
    assert a != b
    assert a != "a"


def test_from_store_is_lazy_and_exact():
    arr = np.array([0.25, 0.5], dtype=np.float32)
    e = Entity._from_store("a", "T", '{"name": "x", "n": [1, 2]}', arr,
                           1_700_000_000_123_456, 1_700_000_001_000_000, "doc1", "")
    assert type(e._properties) is str  # not parsed yet
    v = e.get_embedding_vector()
    assert np.shares_memory(v, arr) and not v.flags.writeable
    assert e.properties == {"name": "x", "n": [1, 2]}
    assert e.embedding == [0.25, 0.5]
    assert e.created_at == datetime(2023, 11, 14, 22, 13, 20, 123456)
    assert e.updated_at == datetime(2023, 11, 14, 22, 13, 21)
    assert e.source == "doc1" and e.tenant_id is None
    assert Entity._from_store("b", "T", "{}", None, 0, 0, None, "acme").tenant_id == "acme"


def test_from_store_properties_dict_is_the_truth_once_read():
    e = Entity._from_store("a", "T", '{"k": 1}', None, 0, 0, None, "")
    e.properties["k"] = 2
    assert e.properties == {"k": 2}
    assert e.model_dump()["properties"] == {"k": 2}


def test_from_object_reads_attributes():
    class Foreign:  # shaped like the reference's pydantic Entity
        id = "f"
        entity_type = "T"
        properties = {"a": 1}
        embedding = [0.1]
        created_at = datetime(2024, 1, 1)
        updated_at = datetime(2024, 1, 2)
        source = "s"
        tenant_id = "acme"

    e = Entity._from_object(Foreign())
    assert (e.id, e.entity_type, e.properties, e.embedding, e.source, e.tenant_id) == \
        ("f", "T", {"a": 1}, [0.1], "s", "acme")
    assert e.updated_at == datetime(2024, 1, 2)
    assert Entity._from_object(e) is e
    assert Entity.model_validate(Foreign()).id == "f"


def test_assigned_int_timestamp_is_unix_seconds():
    e = Entity(id="a", entity_type="T")
    e.created_at = 86400
    assert e.created_at == datetime(1970, 1, 2, tzinfo=timezone.utc)
