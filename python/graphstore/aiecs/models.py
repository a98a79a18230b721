"""The drop-in's data model: Entity, Relation, Path and the query models.

Plain classes with __slots__ that keep the reference's (pydantic) fields,
defaults, validation, helpers and dump shapes. Records returned by a
graphstore-backed drop-in store are built by `Entity._from_store` /
`Relation._from_store` without validation: properties stay a JSON string
until first read, embeddings stay the store's float32 array until
`.embedding` is read, timestamps stay microseconds until read.
"""
from __future__ import annotations

import json
import time
from datetime import datetime
from typing import Any, List, Optional

import numpy as np

from ._modelbase import (
    _MISSING, FieldError, Model, ValidationError, bounded, check_datetime, check_dict,
    check_float, check_float_list, check_opt_str, check_str, dump_value, error_entry, optional,
    us_to_datetime, validate_fields, value_error_entry,
)
from .tenant import CrossTenantRelationError, validate_tenant_id

__all__ = [
    "Entity", "Relation", "Path", "PathPattern", "TraversalDirection", "GraphQuery",
    "QueryType", "GraphResult", "ValidationError",
]

_ndarray = np.ndarray
_loads = json.loads
_now_us = time.time_ns


# Tenant ids already found valid: most programs use a handful, and the check
# (a regex over up to 255 characters) would otherwise run for every model.
_valid_tenants: set = set()
_VALID_TENANTS_MAX = 4096


def _str_keys(d: dict) -> bool:
    for k in d:
        if type(k) is not str:
            return False
    return True


def _all_floats(items: list) -> bool:
    return not items or set(map(type, items)) == _FLOAT_ONLY


_FLOAT_ONLY = {float}


def _tenant_error(title: str, data_fn, tenant_id) -> ValidationError:
    # The reference validates tenant_id in a "before" model validator: a bad
    # id fails the whole construction with that single error, located at the
    # model rather than at the field.
    try:
        validate_tenant_id(tenant_id)
    except ValueError as exc:
        return ValidationError(title, [value_error_entry((), exc, data_fn())])
    if len(_valid_tenants) < _VALID_TENANTS_MAX:
        _valid_tenants.add(tenant_id)
    return None


def _check_embedding(v):
    """Optional list of numbers (int and bool accepted, as the reference's
    isinstance check); a 1-D numpy array is accepted and kept as is."""
    if v is None:
        return None
    if isinstance(v, _ndarray):
        if v.ndim != 1 or v.dtype.kind not in "fiub":
            raise FieldError("value_error", "Value error, Embedding must be a list of floats")
        return v
    if isinstance(v, tuple):
        v = list(v)
    if not isinstance(v, list):
        raise FieldError("list_type", "Input should be a valid list")
    return check_float_list(v)


def _ts_in(v, now):
    # A timestamp field's stored form: a datetime, or an int of microseconds
    # (the default "now" and store records), converted when first read.
    if v is _MISSING:
        return now
    return check_datetime(v)


def _ts_assigned(value):
    # Ints in the timestamp slots mean microseconds; an int assigned by a
    # caller means Unix seconds (as pydantic parses it), so it is converted.
    return check_datetime(value) if type(value) is int else value


def _ts_out(obj, slot):
    v = object.__getattribute__(obj, slot)
    if type(v) is int:
        v = us_to_datetime(v)
        object.__setattr__(obj, slot, v)
    return v


class Entity(Model):
    """A graph node: `Entity(id=..., entity_type=..., properties={}, embedding=None,
    created_at=utcnow, updated_at=utcnow, source=None, tenant_id=None)`.

    Keyword arguments only, as the reference's pydantic model. `id` and
    `entity_type` are required strings; `properties` a dict with str keys;
    `embedding` None or a list of numbers (a 1-D numpy array is accepted);
    timestamps are naive UTC datetimes by default, ISO strings are parsed;
    `tenant_id` None or a valid tenant id. Raises ValidationError (a
    ValueError) naming each bad field. Unknown keywords are ignored.
    """

    __slots__ = ("id", "entity_type", "_properties", "_embedding", "_created_at",
                 "_updated_at", "source", "tenant_id")
    _fields = ("id", "entity_type", "properties", "embedding", "created_at",
               "updated_at", "source", "tenant_id")

    def __init__(self, *, id=_MISSING, entity_type=_MISSING, properties=_MISSING,
                 embedding=None, created_at=_MISSING, updated_at=_MISSING, source=None,
                 tenant_id=None, **extra):
        if tenant_id is not None and (type(tenant_id) is not str or tenant_id not in _valid_tenants):
            err = _tenant_error("Entity", lambda: _entity_input(
                (id, entity_type, properties, embedding, created_at, updated_at, source,
                 tenant_id, extra)), tenant_id)
            if err is not None:
                raise err
        # The common shapes are checked inline; anything unusual (including
        # every invalid input) goes through _init_checked, which reports.
        while True:
            if type(id) is not str or type(entity_type) is not str:
                break
            if properties is _MISSING:
                props = {}
            elif type(properties) is dict and _str_keys(properties):
                props = properties.copy()
            else:
                break
            if embedding is None:
                emb = None
            elif type(embedding) is list and _all_floats(embedding):
                emb = embedding.copy()
            else:
                break
            # Locals only: a later `break` must hand the original inputs on.
            if created_at is _MISSING or updated_at is _MISSING:
                now = _now_us() // 1000
            if created_at is _MISSING:
                created = now
            elif type(created_at) is datetime:
                created = created_at
            else:
                break
            if updated_at is _MISSING:
                updated = now
            elif type(updated_at) is datetime:
                updated = updated_at
            else:
                break
            if source is not None and type(source) is not str:
                break
            self.id = id
            self.entity_type = entity_type
            self._properties = props
            self._embedding = emb
            self._created_at = created
            self._updated_at = updated
            self.source = source
            self.tenant_id = tenant_id
            return
        self._init_checked(id, entity_type, properties, embedding, created_at, updated_at,
                           source, tenant_id, extra)

    def _init_checked(self, id, entity_type, properties, embedding, created_at, updated_at,
                      source, tenant_id, extra):
        errors = []
        raw = (id, entity_type, properties, embedding, created_at, updated_at, source,
               tenant_id, extra)
        now = _now_us() // 1000

        def field(name, value, check):
            try:
                return check(value)
            except FieldError as exc:
                errors.append(error_entry((name,), exc, value))
            except ValueError as exc:
                errors.append(value_error_entry((name,), exc, value))
            return None

        for name, value in (("id", id), ("entity_type", entity_type)):
            if value is _MISSING:
                errors.append({"type": "missing", "loc": (name,), "msg": "Field required",
                               "input": _entity_input(raw)})
        self.id = field("id", id, check_str) if id is not _MISSING else None
        self.entity_type = (field("entity_type", entity_type, check_str)
                            if entity_type is not _MISSING else None)
        self._properties = {} if properties is _MISSING else field("properties", properties,
                                                                   check_dict)
        self._embedding = field("embedding", embedding, _check_embedding)
        self._created_at = field("created_at", created_at, lambda v: _ts_in(v, now))
        self._updated_at = field("updated_at", updated_at, lambda v: _ts_in(v, now))
        self.source = field("source", source, check_opt_str)
        self.tenant_id = tenant_id
        if errors:
            raise ValidationError("Entity", errors)

    @classmethod
    def _from_store(cls, id, entity_type, properties_json, embedding, created_us, updated_us,
                    source, tenant_id):
        """Build from a graphstore record (the record factory's fields), unvalidated.

        properties_json is parsed on first read of `.properties`; embedding
        (float32 array or None) becomes a list on first read of `.embedding`;
        timestamps (µs since the epoch, UTC) become naive datetimes on first
        read. tenant_id "" (the global namespace) becomes None.
        """
        e = _new(cls)
        e.id = id
        e.entity_type = entity_type
        e._properties = properties_json
        e._embedding = embedding
        e._created_at = created_us
        e._updated_at = updated_us
        e.source = source
        e.tenant_id = tenant_id or None
        return e

    @classmethod
    def _from_object(cls, obj):
        """An Entity for any object with the Entity attributes (returned as
        is when it is already one); values are taken as they are."""
        if type(obj) is cls:
            return obj
        e = _new(cls)
        e.id = obj.id
        e.entity_type = obj.entity_type
        props = getattr(obj, "properties", None)
        e._properties = {} if props is None else props
        e._embedding = getattr(obj, "embedding", None)
        now = _now_us() // 1000
        e._created_at = getattr(obj, "created_at", None) or now
        e._updated_at = getattr(obj, "updated_at", None) or now
        e.source = getattr(obj, "source", None)
        e.tenant_id = getattr(obj, "tenant_id", None)
        return e

    def model_dump(self, *, mode: str = "python", include=None, exclude=None,
                   exclude_none: bool = False, **kw) -> dict:
        """The fields as a dict in the reference's order (see Model.model_dump)."""
        if mode != "python" or include is not None or exclude is not None or exclude_none:
            return Model.model_dump(self, mode=mode, include=include, exclude=exclude,
                                    exclude_none=exclude_none, **kw)
        emb = self.embedding
        return {"id": self.id, "entity_type": self.entity_type,
                "properties": dump_value(self.properties, False),
                "embedding": None if emb is None else dump_value(emb, False),
                "created_at": self.created_at, "updated_at": self.updated_at,
                "source": self.source, "tenant_id": self.tenant_id}

    # --- lazily materialised fields
    @property
    def properties(self) -> dict:
        """The properties dict; once read it is the truth (mutations are kept)."""
        p = self._properties
        if type(p) is str:
            p = _loads(p) if p != "{}" else {}
            self._properties = p
        return p

    @properties.setter
    def properties(self, value) -> None:
        self._properties = value

    @property
    def embedding(self) -> Optional[List[float]]:
        """The embedding as a list of floats, or None."""
        v = self._embedding
        if type(v) is _ndarray:
            v = v.tolist()
            self._embedding = v
        return v

    @embedding.setter
    def embedding(self, value) -> None:
        self._embedding = value

    @property
    def created_at(self) -> datetime:
        return _ts_out(self, "_created_at")

    @created_at.setter
    def created_at(self, value) -> None:
        self._created_at = _ts_assigned(value)

    @property
    def updated_at(self) -> datetime:
        return _ts_out(self, "_updated_at")

    @updated_at.setter
    def updated_at(self, value) -> None:
        self._updated_at = _ts_assigned(value)

    # --- helpers of the reference
    def get_embedding_vector(self) -> Optional[np.ndarray]:
        """The embedding as a float32 numpy array, or None.

        A store record's array is returned without a copy, read-only; a list
        embedding is converted into a new array.
        """
        v = self._embedding
        if v is None:
            return None
        if type(v) is _ndarray:
            out = v.astype(np.float32, copy=False).view()
            out.flags.writeable = False
            return out
        return np.array(v, dtype=np.float32)

    def set_embedding_vector(self, vector) -> None:
        """Set the embedding from a numpy array (or any sequence of numbers)."""
        self._embedding = vector.tolist() if hasattr(vector, "tolist") else list(vector)

    def get_property(self, key: str, default: Any = None) -> Any:
        """properties[key], or `default` if absent."""
        return self.properties.get(key, default)

    def set_property(self, key: str, value: Any) -> None:
        """Set properties[key] and refresh updated_at to now (naive UTC)."""
        self.properties[key] = value
        self._updated_at = _now_us() // 1000

    def __str__(self) -> str:
        return f"Entity(id={self.id}, type={self.entity_type})"

    def __repr__(self) -> str:
        return (f"Entity(id='{self.id}', entity_type='{self.entity_type}', "
                f"properties={len(self.properties)} keys)")


def _entity_input(raw) -> dict:
    names = ("id", "entity_type", "properties", "embedding", "created_at", "updated_at",
             "source", "tenant_id")
    data = {n: v for n, v in zip(names, raw) if v is not _MISSING and v is not None}
    data.update(raw[-1])
    return data


def _check_weight(v):
    return bounded(check_float, ge=0.0, le=1.0)(v)


def _check_endpoint(v):
    v = check_str(v)
    if not v or not v.strip():
        raise ValueError("Entity IDs must be non-empty strings")
    return v


class Relation(Model):
    """A directed edge: `Relation(id=..., relation_type=..., source_id=..., target_id=...,
    properties={}, weight=1.0, created_at=utcnow, source=None, tenant_id=None)`.

    `source_id`/`target_id` must be non-blank ("Entity IDs must be non-empty
    strings"); self-loops are allowed; `weight` is a float in [0, 1]. Like
    the reference's model it has no `updated_at` field; `updated_at` is an
    extra attribute (None unless the relation came from a store, not
    dumped) so that the store's own stamp survives a read-modify-write.
    Raises ValidationError naming each bad field.
    """

    __slots__ = ("id", "relation_type", "source_id", "target_id", "_properties", "weight",
                 "_created_at", "source", "tenant_id", "_updated_at")
    _fields = ("id", "relation_type", "source_id", "target_id", "properties", "weight",
               "created_at", "source", "tenant_id")

    def __init__(self, *, id=_MISSING, relation_type=_MISSING, source_id=_MISSING,
                 target_id=_MISSING, properties=_MISSING, weight=1.0, created_at=_MISSING,
                 source=None, tenant_id=None, updated_at=None, **extra):
        if tenant_id is not None and (type(tenant_id) is not str
                                      or tenant_id not in _valid_tenants):
            err = _tenant_error("Relation", lambda: _present(
                {"id": id, "relation_type": relation_type, "source_id": source_id,
                 "target_id": target_id, "properties": properties, "weight": weight,
                 "created_at": created_at, "source": source, "tenant_id": tenant_id},
                extra), tenant_id)
            if err is not None:
                raise err
        while True:  # the common shapes inline, as in Entity.__init__
            if (type(id) is not str or type(relation_type) is not str
                    or type(source_id) is not str or type(target_id) is not str
                    or not source_id.strip() or not target_id.strip()):
                break
            if properties is _MISSING:
                props = {}
            elif type(properties) is dict and _str_keys(properties):
                props = properties.copy()
            else:
                break
            w = float(weight) if type(weight) is int else weight
            if type(w) is not float or not 0.0 <= w <= 1.0:
                break
            if created_at is _MISSING:
                created = _now_us() // 1000
            elif type(created_at) is datetime:
                created = created_at
            else:
                break
            if source is not None and type(source) is not str:
                break
            if updated_at is not None and type(updated_at) is not datetime:
                break
            self.id = id
            self.relation_type = relation_type
            self.source_id = source_id
            self.target_id = target_id
            self._properties = props
            self.weight = w
            self._created_at = created
            self.source = source
            self.tenant_id = tenant_id
            self._updated_at = updated_at
            return
        now = _now_us() // 1000
        spec = (("id", _MISSING, check_str),
                ("relation_type", _MISSING, check_str),
                ("source_id", _MISSING, _check_endpoint),
                ("target_id", _MISSING, _check_endpoint),
                ("properties", dict, check_dict),
                ("weight", 1.0, _check_weight),
                ("created_at", now, check_datetime),
                ("source", None, check_opt_str),
                ("updated_at", None, optional(check_datetime)))
        data = _present({"id": id, "relation_type": relation_type, "source_id": source_id,
                         "target_id": target_id, "properties": properties, "weight": weight,
                         "created_at": created_at, "source": source,
                         "updated_at": updated_at}, {})
        self._properties = {}
        validate_fields("Relation", spec, data, _SlotProxy(self))
        self.tenant_id = tenant_id

    @classmethod
    def _from_store(cls, id, relation_type, source_id, target_id, properties_json, weight,
                    created_us, updated_us, source, tenant_id):
        """Build from a graphstore record (the record factory's fields), unvalidated.

        Same laziness as Entity._from_store; tenant_id "" becomes None.
        """
        r = _new(cls)
        r.id = id
        r.relation_type = relation_type
        r.source_id = source_id
        r.target_id = target_id
        r._properties = properties_json
        r.weight = weight
        r._created_at = created_us
        r._updated_at = updated_us
        r.source = source
        r.tenant_id = tenant_id or None
        return r

    @classmethod
    def _from_object(cls, obj):
        """A Relation for any object with the Relation attributes (as is when
        it is already one); values are taken as they are."""
        if type(obj) is cls:
            return obj
        r = _new(cls)
        r.id = obj.id
        r.relation_type = obj.relation_type
        r.source_id = obj.source_id
        r.target_id = obj.target_id
        props = getattr(obj, "properties", None)
        r._properties = {} if props is None else props
        w = getattr(obj, "weight", 1.0)
        r.weight = 1.0 if w is None else w
        r._created_at = getattr(obj, "created_at", None) or _now_us() // 1000
        r._updated_at = getattr(obj, "updated_at", None)
        r.source = getattr(obj, "source", None)
        r.tenant_id = getattr(obj, "tenant_id", None)
        return r

    @property
    def properties(self) -> dict:
        """The properties dict; once read it is the truth (mutations are kept)."""
        p = self._properties
        if type(p) is str:
            p = _loads(p) if p != "{}" else {}
            self._properties = p
        return p

    @properties.setter
    def properties(self, value) -> None:
        self._properties = value

    def model_dump(self, *, mode: str = "python", include=None, exclude=None,
                   exclude_none: bool = False, **kw) -> dict:
        """The fields as a dict in the reference's order (see Model.model_dump)."""
        if mode != "python" or include is not None or exclude is not None or exclude_none:
            return Model.model_dump(self, mode=mode, include=include, exclude=exclude,
                                    exclude_none=exclude_none, **kw)
        return {"id": self.id, "relation_type": self.relation_type, "source_id": self.source_id,
                "target_id": self.target_id, "properties": dump_value(self.properties, False),
                "weight": self.weight, "created_at": self.created_at, "source": self.source,
                "tenant_id": self.tenant_id}

    @property
    def created_at(self) -> datetime:
        return _ts_out(self, "_created_at")

    @created_at.setter
    def created_at(self, value) -> None:
        self._created_at = _ts_assigned(value)

    @property
    def updated_at(self) -> Optional[datetime]:
        """When the store last wrote the relation (None for a new one); not a dumped field."""
        v = self._updated_at
        if type(v) is int:
            v = us_to_datetime(v)
            self._updated_at = v
        return v

    @updated_at.setter
    def updated_at(self, value) -> None:
        self._updated_at = _ts_assigned(value)

    def validate_tenant_consistency(self, source_entity_tenant_id: Optional[str],
                                    target_entity_tenant_id: Optional[str]) -> Optional[str]:
        """Check the endpoints' tenants against each other and this relation's.

        Returns the effective tenant (this relation's, else the endpoints');
        raises CrossTenantRelationError on any mismatch.
        """
        if self.tenant_id is not None:
            if source_entity_tenant_id != self.tenant_id:
                raise CrossTenantRelationError(source_entity_tenant_id, self.tenant_id)
            if target_entity_tenant_id != self.tenant_id:
                raise CrossTenantRelationError(self.tenant_id, target_entity_tenant_id)
        if source_entity_tenant_id != target_entity_tenant_id:
            raise CrossTenantRelationError(source_entity_tenant_id, target_entity_tenant_id)
        return self.tenant_id if self.tenant_id is not None else source_entity_tenant_id

    def with_tenant_id(self, tenant_id: Optional[str]) -> "Relation":
        """A shallow copy with `tenant_id` replaced (not validated, as model_copy)."""
        return self.model_copy(update={"tenant_id": tenant_id})

    def get_property(self, key: str, default: Any = None) -> Any:
        """properties[key], or `default` if absent."""
        return self.properties.get(key, default)

    def set_property(self, key: str, value: Any) -> None:
        """Set properties[key] (no timestamp changes, as the reference)."""
        self.properties[key] = value

    def reverse(self) -> "Relation":
        """The opposite edge: id "<id>_reversed", type "<type>_REVERSE", endpoints
        swapped, a copy of the properties, the same weight, created_at,
        source and tenant_id (the reference dropped tenant_id)."""
        r = _new(Relation)
        r.id = f"{self.id}_reversed"
        r.relation_type = f"{self.relation_type}_REVERSE"
        r.source_id = self.target_id
        r.target_id = self.source_id
        r._properties = self.properties.copy()
        r.weight = self.weight
        r._created_at = self._created_at
        r._updated_at = None
        r.source = self.source
        r.tenant_id = self.tenant_id
        return r

    def __str__(self) -> str:
        return f"Relation({self.source_id} -[{self.relation_type}]-> {self.target_id})"

    def __repr__(self) -> str:
        return (f"Relation(id='{self.id}', type='{self.relation_type}', "
                f"source='{self.source_id}', target='{self.target_id}', weight={self.weight})")


class _SlotProxy:
    # validate_fields sets attributes by field name; the lazily held fields
    # live in private slots, so names are mapped here.
    __slots__ = ("_obj",)
    _MAP = {"properties": "_properties", "created_at": "_created_at",
            "updated_at": "_updated_at", "embedding": "_embedding"}

    def __init__(self, obj) -> None:
        object.__setattr__(self, "_obj", obj)

    def __setattr__(self, name, value) -> None:
        object.__setattr__(self._obj, self._MAP.get(name, name), value)


def _present(raw: dict, extra: dict) -> dict:
    data = {k: v for k, v in raw.items() if v is not _MISSING}
    data.update(extra)
    return data


_new = object.__new__


def _check_nodes(v):
    items = v if isinstance(v, list) else list(v) if isinstance(v, tuple) else None
    if items is None:
        raise FieldError("list_type", "Input should be a valid list")
    if not items:
        raise FieldError("too_short", "List should have at least 1 item after validation, not 0")
    return [_as_model(Entity, x, i) for i, x in enumerate(items)]


def _check_edges(v):
    items = v if isinstance(v, list) else list(v) if isinstance(v, tuple) else None
    if items is None:
        raise FieldError("list_type", "Input should be a valid list")
    return [_as_model(Relation, x, i) for i, x in enumerate(items)]


def _as_model(cls, x, i):
    # Instances pass as they are; dicts are validated into the model; any
    # other object with the model's attributes (a reference model) is kept.
    if isinstance(x, cls):
        return x
    if isinstance(x, dict):
        try:
            return cls(**x)
        except ValidationError as exc:
            first = exc.errors()[0]
            raise FieldError(first["type"], first["msg"], (i,) + tuple(first["loc"])) from None
    if all(hasattr(x, f) for f in cls._fields[:2]):
        return x
    raise FieldError("model_type",
                     f"Input should be a valid dictionary or instance of {cls.__name__}", (i,))


class Path(Model):
    """A walk through the graph: `Path(nodes=[...], edges=[], score=None)`.

    At least one node; when edges are given there must be len(nodes) - 1
    of them and edges[i] must lead from nodes[i] to nodes[i+1]; score is
    None or in [0, 1]. Raises ValidationError.
    """

    __slots__ = ("nodes", "edges", "score")
    _fields = ("nodes", "edges", "score")

    def __init__(self, **data):
        nodes, edges, score = data.get("nodes"), data.get("edges", _MISSING), data.get("score")
        if (type(nodes) is list and nodes and score is None
                and all(type(n) is Entity for n in nodes)
                and (edges is _MISSING or type(edges) is list
                     and all(type(e) is Relation for e in edges))):
            # The stores' common case (their own models), checked inline.
            edges = [] if edges is _MISSING else list(edges)
            try:
                _check_structure(nodes, edges)
            except ValueError as exc:
                raise ValidationError("Path", [value_error_entry(("edges",), exc, edges)]) from None
            self.nodes, self.edges, self.score = list(nodes), edges, None
            return
        validate_fields("Path", (("nodes", _MISSING, _check_nodes),
                                 ("edges", list, _check_edges),
                                 ("score", None, _check_score)), data, self)
        try:
            _check_structure(self.nodes, self.edges)
        except ValueError as exc:
            raise ValidationError("Path", [value_error_entry(("edges",), exc,
                                                             data.get("edges"))]) from None

    @classmethod
    def _build(cls, nodes: list, edges: list, score: Optional[float] = None) -> "Path":
        """A Path from already-checked parts (the stores' results), unvalidated."""
        p = _new(cls)
        p.nodes = nodes
        p.edges = edges
        p.score = score
        return p

    @property
    def length(self) -> int:
        """The number of edges."""
        return len(self.edges)

    @property
    def start_entity(self) -> Entity:
        """The first node."""
        return self.nodes[0]

    @property
    def end_entity(self) -> Entity:
        """The last node."""
        return self.nodes[-1]

    def get_entity_ids(self) -> List[str]:
        """The node ids in order."""
        return [n.id for n in self.nodes]

    def get_relation_types(self) -> List[str]:
        """The edge types in order."""
        return [e.relation_type for e in self.edges]

    def contains_entity(self, entity_id: str) -> bool:
        """True if a node has this id."""
        return entity_id in self.get_entity_ids()

    def contains_relation_type(self, relation_type: str) -> bool:
        """True if an edge has this type."""
        return relation_type in self.get_relation_types()

    def __str__(self) -> str:
        if not self.edges:
            return f"Path({self.nodes[0]})"
        text = str(self.nodes[0].id)
        for edge, node in zip(self.edges, self.nodes[1:]):
            text += f" -[{edge.relation_type}]-> {node.id}"
        if self.score is not None:
            text += f" (score={self.score:.3f})"
        return f"Path({text})"

    def __repr__(self) -> str:
        return f"Path(length={self.length}, nodes={len(self.nodes)}, score={self.score})"


def _check_score(v):
    if v is None:
        return None
    return bounded(check_float, ge=0.0, le=1.0)(v)


def _check_structure(nodes, edges) -> None:
    if not edges:
        return
    if len(edges) != len(nodes) - 1:
        raise ValueError(f"Number of edges ({len(edges)}) must be len(nodes) - 1 "
                         f"({len(nodes) - 1})")
    for i, edge in enumerate(edges):
        if edge.source_id != nodes[i].id:
            raise ValueError(f"Edge {i} source_id ({edge.source_id}) doesn't match "
                             f"node {i} id ({nodes[i].id})")
        if edge.target_id != nodes[i + 1].id:
            raise ValueError(f"Edge {i} target_id ({edge.target_id}) doesn't match "
                             f"node {i + 1} id ({nodes[i + 1].id})")


# The query models live in query.py; they are part of this module's API.
from .query import GraphQuery, GraphResult, PathPattern, QueryType, TraversalDirection  # noqa: E402
