"""Tenant helpers of the drop-in: the reference's names, messages and modes.

A `TenantContext` names the namespace a drop-in store call works in; `None`
(no context) is the global namespace. The stores map `context.tenant_id` onto
graphstore's tenant argument; a model's own `tenant_id` field is only stamped
from the context and never chooses the namespace.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from enum import Enum
from typing import Optional

__all__ = [
    "TenantIsolationMode", "TenantContext", "InvalidTenantIdError",
    "CrossTenantRelationError", "CrossTenantFusionError",
    "TenantContextRequiredError", "validate_tenant_id", "normalize_tenant_id",
    "TenantAwareStorageResolver", "TENANT_ID_PATTERN", "TENANT_ID_MIN_LENGTH",
    "TENANT_ID_MAX_LENGTH",
]


class TenantIsolationMode(str, Enum):
    """How a store separates tenants (the reference's three values).

    DISABLED behaves as SHARED_SCHEMA in every store, as in the reference.
    """

    DISABLED = "disabled"
    SHARED_SCHEMA = "shared_schema"
    SEPARATE_SCHEMA = "separate_schema"


class InvalidTenantIdError(ValueError):
    """A tenant id that is not 1 to 255 characters of [A-Za-z0-9_-].

    The message reads "Invalid tenant_id format: '<id>'. <reason>";
    `tenant_id` and `reason` are kept as attributes.
    """

    def __init__(self, tenant_id: str, reason: str = "") -> None:
        message = f"Invalid tenant_id format: '{tenant_id}'"
        if reason:
            message += f". {reason}"
        super().__init__(message)
        self.tenant_id = tenant_id
        self.reason = reason


class CrossTenantRelationError(ValueError):
    """A relation whose endpoints (or whose own tenant) belong to different tenants."""

    def __init__(self, source_tenant: Optional[str], target_tenant: Optional[str]) -> None:
        super().__init__(
            "Cannot create relation across tenants: "
            f"source_tenant={source_tenant}, target_tenant={target_tenant}")
        self.source_tenant = source_tenant
        self.target_tenant = target_tenant


class CrossTenantFusionError(ValueError):
    """Entities of several tenants given to one fusion operation."""

    def __init__(self, tenant_ids: set) -> None:
        super().__init__(
            "Cannot fuse entities across tenants. "
            f"Found entities from multiple tenants: {sorted(tenant_ids)}")
        self.tenant_ids = tenant_ids


class TenantContextRequiredError(ValueError):
    """An operation that needs a tenant context got none (kept for callers' except clauses)."""

    def __init__(self, operation: str = "operation") -> None:
        super().__init__(
            f"TenantContext is required for {operation} in multi-tenant mode. "
            "Please provide a TenantContext with tenant_id.")
        self.operation = operation


TENANT_ID_PATTERN = re.compile(r"[a-zA-Z0-9_-]+")
TENANT_ID_MIN_LENGTH = 1
TENANT_ID_MAX_LENGTH = 255


def validate_tenant_id(tenant_id: str) -> str:
    """Return `tenant_id` unchanged if it is a valid tenant id, else raise.

    Valid: a str of 1 to 255 characters, each a letter, digit, '-' or '_'.
    The whole string must match (fullmatch), so "acme\\n" is refused; the
    reference's `$` let a trailing newline through. Raises
    InvalidTenantIdError (a ValueError) with the reference's reasons.
    """
    if not isinstance(tenant_id, str):
        raise InvalidTenantIdError(str(tenant_id), reason="tenant_id must be a string")
    if not tenant_id:
        raise InvalidTenantIdError(tenant_id, reason="tenant_id cannot be empty")
    if len(tenant_id) > TENANT_ID_MAX_LENGTH:
        raise InvalidTenantIdError(
            tenant_id, reason=f"tenant_id must be at most {TENANT_ID_MAX_LENGTH} characters")
    if TENANT_ID_PATTERN.fullmatch(tenant_id) is None:
        raise InvalidTenantIdError(
            tenant_id,
            reason="tenant_id can only contain alphanumeric characters, hyphens, and underscores")
    return tenant_id


def normalize_tenant_id(tenant_id: Optional[str]) -> Optional[str]:
    """Strip surrounding whitespace; None or a blank string gives None.

    Does not validate (call validate_tenant_id for that) and keeps the case.
    """
    if tenant_id is None:
        return None
    normalized = tenant_id.strip()
    return normalized or None


@dataclass
class TenantContext:
    """The tenant a drop-in store call works for.

    `TenantContext(tenant_id, isolation_mode=SHARED_SCHEMA, validate=True)`.
    With validate=True (the default) the id is checked at construction and
    InvalidTenantIdError is raised at once. validate=False only postpones
    the check: graphstore validates every tenant id in its core, so a store
    call with an invalid id fails (graphstore.InvalidArgumentError, a
    ValueError) instead of reaching any table or file name; an empty id
    names the global namespace there, as no context does.
    The isolation mode is informative only; the store's own mode decides.
    """

    tenant_id: str
    isolation_mode: TenantIsolationMode = TenantIsolationMode.SHARED_SCHEMA
    validate: bool = True

    def __post_init__(self) -> None:
        if not isinstance(self.isolation_mode, TenantIsolationMode):
            # A plain string ("shared_schema") is accepted and normalised so
            # that __str__ and comparisons behave as for the enum.
            self.isolation_mode = TenantIsolationMode(self.isolation_mode)
        if self.validate:
            validate_tenant_id(self.tenant_id)

    def __str__(self) -> str:
        return f"TenantContext(tenant_id={self.tenant_id}, mode={self.isolation_mode.value})"

    def __repr__(self) -> str:
        return (f"TenantContext(tenant_id='{self.tenant_id}', "
                f"isolation_mode=TenantIsolationMode.{self.isolation_mode.name})")


class TenantAwareStorageResolver:
    """The reference's name resolver for tenant tables, schemas and files.

    Kept for code that calls it; the drop-in stores do not use it (graphstore
    keeps tenants apart itself).
    """

    def __init__(self, table_prefix: str = "tenant", schema_prefix: str = "tenant") -> None:
        self.table_prefix = table_prefix
        self.schema_prefix = schema_prefix

    def resolve_table_name(self, base_table: str, context: Optional[TenantContext] = None) -> str:
        """`{prefix}_{tenant}_{base}` in separate-schema mode, else `base_table`."""
        if context is not None and context.isolation_mode == TenantIsolationMode.SEPARATE_SCHEMA:
            return f"{self.table_prefix}_{context.tenant_id}_{base_table}"
        return base_table

    def resolve_schema_name(self, context: Optional[TenantContext] = None) -> Optional[str]:
        """`{prefix}_{tenant}` in separate-schema mode, else None."""
        if context is None or context.isolation_mode != TenantIsolationMode.SEPARATE_SCHEMA:
            return None
        return f"{self.schema_prefix}_{context.tenant_id}"

    def resolve_database_path(self, base_path: str, context: Optional[TenantContext] = None) -> str:
        """`<dir of base_path>/{prefix}_{tenant}.db` in separate-schema mode, else `base_path`."""
        if context is None or context.isolation_mode != TenantIsolationMode.SEPARATE_SCHEMA:
            return base_path
        name = f"{self.table_prefix}_{context.tenant_id}.db"
        directory = os.path.dirname(base_path)
        return os.path.join(directory, name) if directory else name

    def should_filter_by_tenant_id(self, context: Optional[TenantContext] = None) -> bool:
        """True only in shared-schema mode with a context."""
        return context is not None and context.isolation_mode == TenantIsolationMode.SHARED_SCHEMA

    def validate_context(self, context: Optional[TenantContext]) -> None:
        """Raise InvalidTenantIdError if the context's id is invalid; None passes."""
        if context is not None:
            validate_tenant_id(context.tenant_id)
