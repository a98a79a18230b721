"""Entity and Relation: construction, round trips through a store, duck
typing, record factories, numpy embeddings, timestamps."""
import datetime as dt

import numpy as np
import pytest

import graphstore as gs

UTC = dt.timezone.utc


def test_entity_defaults():
    e = gs.Entity("a", "Person")
    assert e.id == "a" and e.entity_type == "Person"
    assert e.properties == {} and e.embedding is None
    assert e.created_at is None and e.updated_at is None
    assert e.source is None and e.tenant_id is None


def test_entity_round_trip(any_store):
    when = dt.datetime(2024, 5, 6, 7, 8, 9, 123456)
    e = gs.Entity("a", "Person", {"name": "Ann", "tags": ["x", 1, 2.5, None, True], "n": {"deep": [1]}},
                  embedding=[1.0, 2.0, 3.0], created_at=when, updated_at=when, source="doc1")
    any_store.add_entity(e)
    got = any_store.get_entity("a")
    assert got.properties == e.properties
    assert isinstance(got.embedding, np.ndarray) and got.embedding.dtype == np.float32
    assert got.embedding.tolist() == [1.0, 2.0, 3.0]
    assert got.created_at == when.replace(tzinfo=UTC)
    assert got.created_at.tzinfo is not None
    assert got.source == "doc1" and got.tenant_id is None


def test_timestamps_stamped_when_absent(store):
    store.add_entity(gs.Entity("a", "T"))
    got = store.get_entity("a")
    now = dt.datetime.now(UTC)
    assert abs((now - got.created_at).total_seconds()) < 60
    assert got.updated_at == got.created_at


def test_aware_datetime_converted_to_utc(store):
    plus2 = dt.timezone(dt.timedelta(hours=2))
    store.add_entity(gs.Entity("a", "T", created_at=dt.datetime(2024, 1, 1, 12, tzinfo=plus2)))
    assert store.get_entity("a").created_at == dt.datetime(2024, 1, 1, 10, tzinfo=UTC)


def test_numpy_embeddings_in(store):
    f64 = np.arange(4, dtype=np.float64)
    strided = np.arange(8, dtype=np.float32)[::2]
    assert not strided.flags["C_CONTIGUOUS"]
    store.add_entity(gs.Entity("f64", "T", embedding=f64))
    store.add_entity(gs.Entity("strided", "T", embedding=strided))
    store.add_entity(gs.Entity("tuple", "T", embedding=(1, 2, 3, 4)))
    assert store.get_entity("f64").embedding.tolist() == [0, 1, 2, 3]
    assert store.get_entity("strided").embedding.tolist() == [0, 2, 4, 6]
    assert store.get_entity("tuple").embedding.tolist() == [1, 2, 3, 4]


def test_nan_embedding_refused(store):
    with pytest.raises(gs.InvalidArgumentError):
        store.add_entity(gs.Entity("a", "T", embedding=[1.0, float("nan")]))
    assert store.get_entity("a") is None


def test_embedding_out_owns_memory_without_copy(store):
    store.add_entity(gs.Entity("a", "T", embedding=np.ones(16, dtype=np.float32)))
    emb = store.get_entity("a").embedding
    # The array's memory belongs to a capsule holding the C++ vector.
    assert emb.base is not None and not emb.flags["OWNDATA"]
    assert emb.sum() == 16


def test_properties_errors_name_the_key(store):
    with pytest.raises(gs.InvalidArgumentError, match=r"properties\['a'\]\[1\]"):
        store.add_entity(gs.Entity("x", "T", {"a": [1, {1, 2}]}))
    with pytest.raises(gs.InvalidArgumentError, match="nan"):
        store.add_entity(gs.Entity("x", "T", {"f": float("nan")}))
    # InvalidArgumentError is also a ValueError
    with pytest.raises(ValueError):
        store.add_entity(gs.Entity("x", "T", {"d": dt.datetime.now()}))


def test_properties_numbers_and_numpy_scalars(store):
    props = {"big": 2**70, "neg": -5, "f": 0.1, "np32": np.float32(1.5), "npi": np.int64(7), "k": {1: "one"}}
    store.add_entity(gs.Entity("x", "T", props))
    got = store.get_entity("x").properties
    assert got == {"big": 2**70, "neg": -5, "f": 0.1, "np32": 1.5, "npi": 7, "k": {"1": "one"}}


def test_properties_unicode(store):
    store.add_entity(gs.Entity("é", "T", {"ключ": "значение 🚀"}))
    assert store.get_entity("é").properties == {"ключ": "значение 🚀"}


class DuckEntity:
    def __init__(self, id, entity_type, properties=None, embedding=None):
        self.id = id
        self.entity_type = entity_type
        self.properties = properties or {}
        self.embedding = embedding
        self.created_at = dt.datetime(2020, 1, 1)
        self.updated_at = dt.datetime(2020, 1, 2)
        self.source = None
        self.tenant_id = None


class DuckRelation:
    def __init__(self, id, relation_type, source_id, target_id, weight=0.5):
        self.id, self.relation_type = id, relation_type
        self.source_id, self.target_id = source_id, target_id
        self.properties = {"since": 2020}
        self.weight = weight


def test_duck_typed_records(store):
    store.add_entity(DuckEntity("a", "T", {"k": "v"}, embedding=[0.5, 0.25]))
    store.add_entity(DuckEntity("b", "T"))
    store.add_relation(DuckRelation("r", "knows", "a", "b"))
    a = store.get_entity("a")
    assert a.properties == {"k": "v"} and a.embedding.tolist() == [0.5, 0.25]
    assert a.created_at == dt.datetime(2020, 1, 1, tzinfo=UTC)
    r = store.get_relation("r")
    assert (r.source_id, r.target_id, r.weight, r.properties) == ("a", "b", 0.5, {"since": 2020})


def test_duck_missing_attribute_is_type_error(store):
    class NoType:
        id = "x"
    with pytest.raises(TypeError, match="entity_type"):
        store.add_entity(NoType())


def test_record_factories(store):
    calls = []

    def make_entity(*fields):
        calls.append(fields)
        return ("E",) + fields

    def make_relation(*fields):
        return ("R",) + fields

    store.add_entity(gs.Entity("a", "T", {"k": 1}, embedding=[1, 2], created_at=dt.datetime(1970, 1, 1, 0, 0, 1),
                               updated_at=dt.datetime(1970, 1, 1, 0, 0, 2), source="s"))
    store.add_entity(gs.Entity("b", "T"))
    store.add_relation(gs.Relation("r", "knows", "a", "b", weight=0.25, created_at=dt.datetime(1970, 1, 1),
                                   updated_at=dt.datetime(1970, 1, 1)))
    store.set_record_factories(make_entity, make_relation)
    e = store.get_entity("a")
    assert e[0] == "E" and e[1:3] == ("a", "T") and e[3] == '{"k":1}'
    assert e[4].dtype == np.float32 and e[4].tolist() == [1, 2]
    assert e[5:] == (1_000_000, 2_000_000, "s", "")
    r = store.get_relation("r")
    assert r == ("R", "r", "knows", "a", "b", "{}", 0.25, 0, 0, None, "")
    n = store.neighbors("a")
    assert n[0].relation[0] == "R" and n[0].entity[0] == "E"
    store.set_record_factories(None, None)
    assert isinstance(store.get_entity("a"), gs.Entity)


def test_relation_fields_and_equality():
    r = gs.Relation("r", "knows", "a", "b", {"x": 1}, weight=0.5)
    assert r == gs.Relation("r", "knows", "a", "b", {"x": 1}, weight=0.5)
    assert r != gs.Relation("r", "knows", "a", "c", {"x": 1}, weight=0.5)
    assert "knows" in repr(r)


def test_entity_mutation_persists(store):
    e = gs.Entity("a", "T", {"n": 1})
    e.properties["n"] = 2
    e.embedding = [3.0]
    store.add_entity(e)
    got = store.get_entity("a")
    assert got.properties == {"n": 2} and got.embedding.tolist() == [3.0]
