"""Relation: fields, defaults, validation and helpers."""
from datetime import datetime

import pytest

from graphstore.aiecs.models import Relation, ValidationError
from graphstore.aiecs.tenant import CrossTenantRelationError


def rel(**kw):
    base = {"id": "r1", "relation_type": "KNOWS", "source_id": "a", "target_id": "b"}
    base.update(kw)
    return Relation(**base)


def test_defaults():
    r = rel()
    assert r.properties == {} and r.weight == 1.0 and type(r.weight) is float
    assert r.source is None and r.tenant_id is None
    assert isinstance(r.created_at, datetime) and r.created_at.tzinfo is None
    assert not hasattr(Relation, "updated_at") or "updated_at" not in r.model_dump()


@pytest.mark.parametrize("kw,loc,type_", [
    ({"source_id": ""}, ("source_id",), "value_error"),
    ({"target_id": "   "}, ("target_id",), "value_error"),
    ({"source_id": None}, ("source_id",), "string_type"),
    ({"weight": 1.5}, ("weight",), "less_than_equal"),
    ({"weight": -0.1}, ("weight",), "greater_than_equal"),
    ({"weight": float("nan")}, ("weight",), "greater_than_equal"),
    ({"weight": "heavy"}, ("weight",), "float_parsing"),
    ({"properties": "x"}, ("properties",), "dict_type"),
    ({"id": None}, ("id",), "string_type"),
])
def test_validation(kw, loc, type_):
    with pytest.raises(ValidationError) as info:
        rel(**kw)
    assert (loc, type_) in [(e["loc"], e["type"]) for e in info.value.errors()]


def test_missing_endpoint_message():
    with pytest.raises(ValueError, match="Entity IDs must be non-empty strings"):
        rel(source_id=" ")


def test_self_loop_allowed_and_weight_bounds_inclusive():
    assert rel(target_id="a").target_id == "a"
    assert rel(weight=0).weight == 0.0 and rel(weight=1).weight == 1.0
    assert rel(weight="0.5").weight == 0.5


def test_tenant_validation():
    with pytest.raises(ValidationError, match="Invalid tenant_id format"):
        rel(tenant_id="bad tenant")


def test_validate_tenant_consistency():
    assert rel().validate_tenant_consistency(None, None) is None
    assert rel().validate_tenant_consistency("t", "t") == "t"
    assert rel(tenant_id="t").validate_tenant_consistency("t", "t") == "t"
    with pytest.raises(CrossTenantRelationError) as info:
        rel().validate_tenant_consistency("t1", "t2")
    assert str(info.value) == "Cannot create relation across tenants: source_tenant=t1, target_tenant=t2"
    with pytest.raises(CrossTenantRelationError):
        rel(tenant_id="t").validate_tenant_consistency("u", "t")
    with pytest.raises(CrossTenantRelationError):
        rel(tenant_id="t").validate_tenant_consistency("t", None)


def test_with_tenant_id_copies():
    r = rel(tenant_id="a", properties={"k": 1})
    c = r.with_tenant_id("b")
    assert (r.tenant_id, c.tenant_id) == ("a", "b")
    assert c.id == r.id and c.properties == r.properties


def test_reverse_keeps_tenant_and_data():
    r = rel(properties={"k": 1}, weight=0.25, source="doc", tenant_id="acme")
    v = r.reverse()
    assert (v.id, v.relation_type, v.source_id, v.target_id) == ("r1_reversed", "KNOWS_REVERSE", "b", "a")
    assert v.properties == {"k": 1} and v.properties is not r.properties
    assert (v.weight, v.created_at, v.source, v.tenant_id) == (0.25, r.created_at, "doc", "acme")


def test_property_helpers_leave_timestamps():
    r = rel()
    before = r.created_at
    r.set_property("k", 2)
    assert r.get_property("k") == 2 and r.get_property("x", 0) == 0 and r.created_at == before


def test_str_repr():
    r = rel(weight=0.5)
    assert str(r) == "Relation(a -[KNOWS]-> b)"
    assert repr(r) == "Relation(id='r1', type='KNOWS', source='a', target='b', weight=0.5)"


def test_from_store():
    r = Relation._from_store("r", "T", "a", "b", '{"w": 2}', 0.0, 1_000_000, 2_000_000, None, "")
    assert r.weight == 0.0 and r.properties == {"w": 2} and r.tenant_id is None
    assert r.created_at == datetime(1970, 1, 1, 0, 0, 1)
    assert r.updated_at == datetime(1970, 1, 1, 0, 0, 2)
    assert rel().updated_at is None
