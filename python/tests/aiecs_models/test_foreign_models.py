"""Objects of other classes with the reference's attribute names are accepted."""
from datetime import datetime

from graphstore.aiecs.models import Entity, GraphQuery, GraphResult, Path, Relation


class RefEntity:
    """Stand-in for the reference's pydantic Entity: same attributes, other class."""

    def __init__(self, id, entity_type, properties=None, embedding=None, tenant_id=None):
        self.id = id
        self.entity_type = entity_type
        self.properties = properties or {}
        self.embedding = embedding
        self.created_at = datetime(2024, 5, 1)
        self.updated_at = datetime(2024, 5, 2)
        self.source = None
        self.tenant_id = tenant_id

    def model_dump(self, **kw):
        return {k: getattr(self, k) for k in Entity.model_fields}


class RefRelation:
    def __init__(self, id, relation_type, source_id, target_id, weight=1.0):
        self.id, self.relation_type = id, relation_type
        self.source_id, self.target_id = source_id, target_id
        self.properties = {}
        self.weight = weight
        self.created_at = datetime(2024, 5, 1)
        self.source = None
        self.tenant_id = None


def test_path_of_foreign_models():
    p = Path(nodes=[RefEntity("a", "T"), RefEntity("b", "T")], edges=[RefRelation("r", "R", "a", "b")])
    assert p.get_entity_ids() == ["a", "b"] and str(p) == "Path(a -[R]-> b)"
    assert p.model_dump()["nodes"][0]["id"] == "a"


def test_graph_result_of_foreign_models():
    r = GraphResult(query=GraphQuery(query_type="entity_lookup"), entities=[RefEntity("a", "T")])
    assert r.get_entity_ids() == ["a"]


def test_conversion_by_attribute():
    e = Entity.model_validate(RefEntity("a", "T", {"k": 1}, [0.5], "acme"))
    assert (e.id, e.properties, e.embedding, e.tenant_id) == ("a", {"k": 1}, [0.5], "acme")
    assert e.created_at == datetime(2024, 5, 1)
    r = Relation._from_object(RefRelation("r", "R", "a", "b", 0.0))
    assert (r.weight, r.source_id, r.updated_at) == (0.0, "a", None)
    assert Relation.model_validate(RefRelation("r", "R", "a", "b", 0.5)).weight == 0.5
