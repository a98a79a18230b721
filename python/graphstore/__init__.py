"""graphstore: knowledge-graph storage with plugin backends (docs/python.md).

The synchronous API. Every call into a store runs in C++ with the GIL
released; records are native classes (Entity, Relation) or, with
Store.set_record_factories, whatever the factories build.

    import graphstore as gs
    with gs.open_backend("inmemory") as store:
        store.add_entity(gs.Entity("alice", "Person", {"age": 30}))
        store.get_entity("alice").properties   # {'age': 30}
"""
from graphstore._errors import (  # noqa: F401  (re-exported)
    AbiMismatchError, AlreadyExistsError, CorruptionError, Error, FailedPreconditionError,
    InternalError, InvalidArgumentError, NotFoundError, PermissionDeniedError,
    ResourceExhaustedError, UnavailableError, UnsupportedError)
from graphstore._native import (  # noqa: F401
    Batch, Entity, Registry, Relation, Store, StoreHandle, open, open_backend)
from graphstore._types import (  # noqa: F401
    BulkResult, ExportReport, ImportReport, MigrateReport, Neighbor, Path, PathResult,
    PluginInfo, QueryResult, Removed, ScoredEntity, Stats, Subgraph, SwapReport,
    TraverseHit, TraverseResult)
from graphstore import _glue

__version__ = "0.1.0"

_glue.install(Store)

__all__ = [
    "open", "open_backend", "Registry", "Store", "StoreHandle", "Batch", "Entity", "Relation",
    "PluginInfo", "Neighbor", "TraverseHit", "TraverseResult", "Path", "PathResult", "Subgraph",
    "ScoredEntity", "BulkResult", "Stats", "Removed", "QueryResult", "SwapReport",
    "ExportReport", "ImportReport", "MigrateReport",
    "Error", "NotFoundError", "AlreadyExistsError", "InvalidArgumentError", "UnsupportedError",
    "UnavailableError", "ResourceExhaustedError", "CorruptionError", "PermissionDeniedError",
    "InternalError", "AbiMismatchError", "FailedPreconditionError",
]
