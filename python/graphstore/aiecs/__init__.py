"""graphstore.aiecs: the reference's graph-storage API over graphstore.

Everything a reference user imports, from one module: change the imports and
nothing else (docs/python.md, "Switching from the reference").

    from graphstore.aiecs import InMemoryGraphStore, SQLiteGraphStore, PostgresGraphStore
    from graphstore.aiecs import Entity, Relation, TenantContext
"""
from .models import Entity, GraphQuery, GraphResult, Path, PathPattern, QueryType, Relation, ValidationError
from .tenant import (
    CrossTenantFusionError,
    CrossTenantRelationError,
    InvalidTenantIdError,
    TenantContext,
    TenantContextRequiredError,
    TenantIsolationMode,
    normalize_tenant_id,
    validate_tenant_id,
)
from .base import GraphStore
from .in_memory import InMemoryGraphStore
from .sqlite import SQLiteGraphStore
from .postgres import PostgresGraphStore
from .degradation import DegradationMode, DegradationStatus, GracefulDegradationStore, StorageMode
from .migration import GraphStorageMigrator, ReferenceDatabase, migrate_sqlite_to_postgres

__all__ = [
    "CrossTenantFusionError",
    "CrossTenantRelationError",
    "DegradationMode",
    "DegradationStatus",
    "Entity",
    "GracefulDegradationStore",
    "GraphQuery",
    "GraphResult",
    "GraphStorageMigrator",
    "GraphStore",
    "InMemoryGraphStore",
    "InvalidTenantIdError",
    "Path",
    "PathPattern",
    "PostgresGraphStore",
    "QueryType",
    "ReferenceDatabase",
    "Relation",
    "SQLiteGraphStore",
    "StorageMode",
    "TenantContext",
    "TenantContextRequiredError",
    "TenantIsolationMode",
    "ValidationError",
    "migrate_sqlite_to_postgres",
    "normalize_tenant_id",
    "validate_tenant_id",
]
