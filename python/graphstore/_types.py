"""The small result classes of the synchronous API (built by the extension).

Plain classes with __slots__: attribute access, a readable repr and equality
by fields. Records themselves (Entity, Relation) are native classes.
"""


class _Value:
    __slots__ = ()

    def __init__(self, *args, **kwargs):
        names = self.__slots__
        if len(args) > len(names):
            raise TypeError(f"{type(self).__name__} takes at most {len(names)} arguments")
        for name, value in zip(names, args):
            object.__setattr__(self, name, value)
        for name in names[len(args):]:
            object.__setattr__(self, name, kwargs.pop(name, None))
        if kwargs:
            raise TypeError(f"unknown field(s) {sorted(kwargs)} of {type(self).__name__}")

    def __repr__(self):
        fields = ", ".join(f"{n}={getattr(self, n)!r}" for n in self.__slots__)
        return f"{type(self).__name__}({fields})"

    def __eq__(self, other):
        if type(other) is not type(self):
            return NotImplemented
        return all(getattr(self, n) == getattr(other, n) for n in self.__slots__)

    def __iter__(self):
        return iter(tuple(getattr(self, n) for n in self.__slots__))

    __hash__ = None


class PluginInfo(_Value):
    """What a plugin says about itself. nonblocking: its calls never block
    (capability "nonblocking")."""
    __slots__ = ("id", "name", "version", "path", "abi_major", "abi_minor", "thread_safe",
                 "capabilities", "nonblocking")


class Neighbor(_Value):
    """One step from an entity: the relation and the entity at its other end."""
    __slots__ = ("relation", "entity")

    def __init__(self, relation, entity):  # built once per neighbour: no generic loop
        self.relation = relation
        self.entity = entity


class TraverseHit(_Value):
    """An entity reached by traverse(), its depth (0 for the start) and the
    relation that reached it (None for the start)."""
    __slots__ = ("entity", "depth", "via")

    def __init__(self, entity, depth, via):
        self.entity = entity
        self.depth = depth
        self.via = via


class TraverseResult(_Value):
    __slots__ = ("hits", "truncated")


class Path(_Value):
    """n entities and the n - 1 relations between them, in order."""
    __slots__ = ("entities", "relations")

    def __init__(self, entities, relations):
        self.entities = entities
        self.relations = relations


class PathResult(_Value):
    __slots__ = ("paths", "truncated")


class Subgraph(_Value):
    __slots__ = ("entities", "relations")


class ScoredEntity(_Value):
    """A search hit; score is raw cosine in [-1, 1] for vector_search."""
    __slots__ = ("entity", "score")

    def __init__(self, entity, score):
        self.entity = entity
        self.score = score


class BulkResult(_Value):
    """added: how many were stored; skipped: (index, Error) per refused item."""
    __slots__ = ("added", "skipped")


class Stats(_Value):
    __slots__ = ("entity_count", "relation_count", "entities_by_type", "relations_by_type")


class Removed(_Value):
    """What clear() or delete_by_source() removed."""
    __slots__ = ("entities", "relations")


class QueryResult(_Value):
    __slots__ = ("entities", "relations", "paths", "scores", "truncated")


class SwapReport(_Value):
    __slots__ = ("copied_entities", "copied_relations", "caught_up_writes", "seconds", "paused_seconds")


class ExportReport(_Value):
    __slots__ = ("files", "format", "gzip", "entities", "relations", "tenants", "seconds")


class ImportReport(_Value):
    __slots__ = ("files", "format", "gzip", "records", "entities_added", "relations_added",
                 "entities_replaced", "relations_replaced", "entity_duplicates",
                 "relation_duplicates", "rejected", "deferred_relations", "batches",
                 "rejects_file", "error_file", "error_line", "seconds")


class MigrateReport(_Value):
    __slots__ = ("entities", "relations", "batches", "copied", "verified", "mismatches",
                 "resumed", "seconds")
