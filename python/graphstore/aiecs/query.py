"""The drop-in's query models: QueryType, PathPattern, GraphQuery, GraphResult.

Same fields, defaults, bounds and helpers as the reference's. Enum fields are
stored as their plain string values (the reference's use_enum_values).
"""
from __future__ import annotations

from enum import Enum
from typing import List, Optional

from ._modelbase import (
    _MISSING, FieldError, Model, bounded, check_bool, check_dict, check_float,
    check_float_list, check_int, check_opt_str, check_str_dict, check_str_list,
    check_str_set, optional, validate_fields,
)

__all__ = ["QueryType", "TraversalDirection", "PathPattern", "GraphQuery", "GraphResult"]


class QueryType(str, Enum):
    """The kinds of query execute_query routes."""

    ENTITY_LOOKUP = "entity_lookup"
    VECTOR_SEARCH = "vector_search"
    TRAVERSAL = "traversal"
    PATH_FINDING = "path_finding"
    SUBGRAPH = "subgraph"
    CUSTOM = "custom"


class TraversalDirection(str, Enum):
    """Direction of a PathPattern."""

    OUTGOING = "outgoing"
    INCOMING = "incoming"
    BOTH = "both"


def _enum_value(enum_cls):
    allowed = [m.value for m in enum_cls]
    text = ", ".join(f"'{a}'" for a in allowed[:-1]) + f" or '{allowed[-1]}'"

    def run(v):
        if isinstance(v, enum_cls):
            return v.value
        if isinstance(v, str) and v in allowed:
            return v
        raise FieldError("enum", f"Input should be {text}")
    return run


def _model_of(cls):
    # A nested model: instances and same-named foreign objects pass, dicts
    # are validated into `cls`.
    def run(v):
        if isinstance(v, cls):
            return v
        if isinstance(v, dict):
            return cls(**v)
        if all(hasattr(v, f) for f in cls._fields[:1]):
            return v
        raise FieldError("model_type",
                         f"Input should be a valid dictionary or instance of {cls.__name__}")
    return run


def _list_of(check):
    def run(v):
        if not isinstance(v, (list, tuple)):
            raise FieldError("list_type", "Input should be a valid list")
        out = []
        for i, x in enumerate(v):
            try:
                out.append(check(x))
            except FieldError as exc:
                raise FieldError(exc.type, exc.msg, (i,) + exc.loc,
                                 x if exc.input is _MISSING else exc.input) from None
        return out
    return run


class PathPattern(Model):
    """Constraints for pattern traversal (run by the application, not by stores).

    Fields: relation_types=None, entity_types=None, direction="outgoing",
    max_depth=3 (1..10), allow_cycles=False, required_relation_sequence=None,
    min_path_length=1 (>= 1), excluded_entity_ids=set().
    """

    __slots__ = ("relation_types", "entity_types", "direction", "max_depth", "allow_cycles",
                 "required_relation_sequence", "min_path_length", "excluded_entity_ids")
    _fields = __slots__
    _spec = (("relation_types", None, optional(check_str_list)),
             ("entity_types", None, optional(check_str_list)),
             ("direction", TraversalDirection.OUTGOING.value, _enum_value(TraversalDirection)),
             ("max_depth", 3, bounded(check_int, ge=1, le=10)),
             ("allow_cycles", False, check_bool),
             ("required_relation_sequence", None, optional(check_str_list)),
             ("min_path_length", 1, bounded(check_int, ge=1)),
             ("excluded_entity_ids", set, check_str_set))

    def __init__(self, **data):
        validate_fields("PathPattern", self._spec, data, self)

    def is_relation_allowed(self, relation_type: str, depth: int = 0) -> bool:
        """Whether an edge of this type may be taken at `depth` (0-based)."""
        if self.required_relation_sequence:
            if depth >= len(self.required_relation_sequence):
                return False
            return relation_type == self.required_relation_sequence[depth]
        if self.relation_types:
            return relation_type in self.relation_types
        return True

    def is_entity_allowed(self, entity_id: str, entity_type: str) -> bool:
        """Whether a node may be on the path (not excluded, type allowed)."""
        if entity_id in self.excluded_entity_ids:
            return False
        if self.entity_types:
            return entity_type in self.entity_types
        return True

    def is_valid_path_length(self, length: int) -> bool:
        """min_path_length <= length <= max_depth."""
        return self.min_path_length <= length <= self.max_depth

    def should_continue_traversal(self, depth: int) -> bool:
        """depth < max_depth."""
        return depth < self.max_depth

    def __str__(self) -> str:
        parts = [f"depth={self.max_depth}"]
        if self.relation_types:
            parts.append(f"relations={','.join(self.relation_types)}")
        if self.entity_types:
            parts.append(f"entities={','.join(self.entity_types)}")
        if self.required_relation_sequence:
            parts.append(f"sequence={' -> '.join(self.required_relation_sequence)}")
        if self.allow_cycles:
            parts.append("allow_cycles")
        return f"PathPattern({', '.join(parts)})"


class GraphQuery(Model):
    """A query for execute_query: `GraphQuery(query_type=..., ...)`.

    Defaults: tenant_id/entity_id/entity_type/relation_type/embedding None,
    properties {}, max_results=10 (>= 1), max_depth=3 (1..10),
    score_threshold=0.0 (0..1), source_entity_id/target_entity_id None,
    custom_params {}, pattern/patterns/optional_patterns/projection/
    aggregations/group_by None. tenant_id is not validated here (the store
    validates it when it runs the query). query_type is kept as its string.
    """

    __slots__ = ("query_type", "tenant_id", "entity_id", "entity_type", "relation_type",
                 "embedding", "properties", "max_results", "max_depth", "score_threshold",
                 "source_entity_id", "target_entity_id", "custom_params", "pattern", "patterns",
                 "optional_patterns", "projection", "aggregations", "group_by")
    _fields = __slots__
    _spec = (("query_type", _MISSING, _enum_value(QueryType)),
             ("tenant_id", None, check_opt_str),
             ("entity_id", None, check_opt_str),
             ("entity_type", None, check_opt_str),
             ("relation_type", None, check_opt_str),
             ("embedding", None, optional(check_float_list)),
             ("properties", dict, check_dict),
             ("max_results", 10, bounded(check_int, ge=1)),
             ("max_depth", 3, bounded(check_int, ge=1, le=10)),
             ("score_threshold", 0.0, bounded(check_float, ge=0.0, le=1.0)),
             ("source_entity_id", None, check_opt_str),
             ("target_entity_id", None, check_opt_str),
             ("custom_params", dict, check_dict),
             ("pattern", None, optional(_model_of(PathPattern))),
             ("patterns", None, optional(_list_of(_model_of(PathPattern)))),
             ("optional_patterns", None, optional(_list_of(_model_of(PathPattern)))),
             ("projection", None, optional(check_str_list)),
             ("aggregations", None, optional(check_str_dict)),
             ("group_by", None, optional(check_str_list)))

    def __init__(self, **data):
        validate_fields("GraphQuery", self._spec, data, self)

    def __str__(self) -> str:
        parts = [f"GraphQuery(type={self.query_type})"]
        if self.entity_id:
            parts.append(f"entity_id={self.entity_id}")
        if self.entity_type:
            parts.append(f"entity_type={self.entity_type}")
        if self.relation_type:
            parts.append(f"relation_type={self.relation_type}")
        return " ".join(parts)


def _entities(v):
    from .models import Entity
    return _list_of(_model_of(Entity))(v)


def _relations(v):
    from .models import Relation
    return _list_of(_model_of(Relation))(v)


def _paths(v):
    from .models import Path
    return _list_of(_model_of(Path))(v)


class GraphResult(Model):
    """What execute_query returns.

    Fields: query (required), entities [], relations [], paths [],
    scores [] (parallel to entities), total_count=0 (>= 0, the count before
    the limit), execution_time_ms=None (>= 0).
    """

    __slots__ = ("query", "entities", "relations", "paths", "scores", "total_count",
                 "execution_time_ms")
    _fields = __slots__
    _spec = (("query", _MISSING, _model_of(GraphQuery)),
             ("entities", list, _entities),
             ("relations", list, _relations),
             ("paths", list, _paths),
             ("scores", list, check_float_list),
             ("total_count", 0, bounded(check_int, ge=0)),
             ("execution_time_ms", None, optional(bounded(check_float, ge=0.0))))

    def __init__(self, **data):
        validate_fields("GraphResult", self._spec, data, self)

    @property
    def has_results(self) -> bool:
        """True when there are entities or paths (relations alone do not count)."""
        return len(self.entities) > 0 or len(self.paths) > 0

    @property
    def entity_count(self) -> int:
        """len(entities)."""
        return len(self.entities)

    @property
    def path_count(self) -> int:
        """len(paths)."""
        return len(self.paths)

    def get_top_entities(self, n: int = 5) -> List:
        """The n best-scored entities (stable sort), or the first n without scores."""
        if not self.scores:
            return self.entities[:n]
        ranked = sorted(zip(self.entities, self.scores), key=lambda p: p[1], reverse=True)
        return [e for e, _ in ranked[:n]]

    def get_entity_ids(self) -> List[str]:
        """The ids of `entities`, in order."""
        return [e.id for e in self.entities]

    def __str__(self) -> str:
        parts = [f"GraphResult(entities={self.entity_count}, paths={self.path_count})"]
        if self.execution_time_ms:
            parts.append(f"time={self.execution_time_ms:.2f}ms")
        return " ".join(parts)

    def __repr__(self) -> str:
        return (f"GraphResult(entities={self.entity_count}, relations={len(self.relations)}, "
                f"paths={self.path_count}, total_count={self.total_count})")
