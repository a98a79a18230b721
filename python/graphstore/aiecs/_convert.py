"""Small translations between the reference's vocabulary and graphstore's.

Tenant contexts to namespaces, direction words, vector score scales, and the
proxy that lets a record whose own ``tenant_id`` disagrees with the context
be stored under the context's namespace without touching the caller's object.
"""

NOT_INITIALIZED = "GraphStore not initialized. Call initialize() first."

# The reference's direction words; any other word gives no neighbours.
DIRECTIONS = {"outgoing": "out", "incoming": "in", "both": "both"}


def not_initialized():
    """The RuntimeError every call raises before initialize() (and after close())."""
    return RuntimeError(NOT_INITIALIZED)


def tenant_of(context):
    """The namespace a TenantContext names: "" (global) for None, else its tenant_id."""
    return "" if context is None else context.tenant_id


def to_reference_score(cosine):
    """Raw cosine in [-1, 1] to the reference's in-memory/SQLite scale (cos+1)/2 in [0, 1]."""
    return (cosine + 1.0) * 0.5


def to_raw_cosine(threshold):
    """A reference score_threshold (on the (cos+1)/2 scale) as a raw cosine minimum."""
    return threshold * 2.0 - 1.0


class RecordView:
    """A read-only view of a record with some attributes replaced.

    graphstore refuses a record whose tenant_id names another namespace than
    the call's, and keeps a given updated_at; the reference stored such a
    record under the context's namespace and stamped updates itself. The view
    keeps every other attribute of the caller's object (a model of any
    class) and leaves that object untouched.
    """

    __slots__ = ("_record", "_overrides")

    def __init__(self, record, **overrides):
        object.__setattr__(self, "_record", record)
        object.__setattr__(self, "_overrides", overrides)

    def __getattr__(self, name):
        overrides = object.__getattribute__(self, "_overrides")
        if name in overrides:
            return overrides[name]
        return getattr(object.__getattribute__(self, "_record"), name)


def stamp_tenant(record, tenant):
    """Sets record.tenant_id to `tenant` when it is None, as the reference does on add.

    Returns the record to store: the record itself, or a RecordView when its
    own tenant_id names another namespace (the caller's object keeps it).
    """
    own = getattr(record, "tenant_id", None)
    if own is None:
        if tenant:
            try:
                record.tenant_id = tenant
            except (AttributeError, TypeError, ValueError):
                pass  # a frozen foreign object: stored under the namespace all the same
        return record
    if own == tenant:
        return record
    return RecordView(record, tenant_id=tenant or None)


def for_update(record, tenant):
    """The record to pass to an update: its tenant fitted to the namespace and updated_at left to the store."""
    own = getattr(record, "tenant_id", None)
    return RecordView(record, tenant_id=tenant or None if own is not None else None, updated_at=None)
