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


class Retenanted:
    """A read-only view of a record with another ``tenant_id``.

    graphstore refuses a record whose tenant_id names another namespace than
    the call's; the reference stores it under the context's. The view keeps
    every other attribute of the caller's object (models of any class) and
    leaves that object untouched.
    """

    __slots__ = ("_record", "tenant_id")

    def __init__(self, record, tenant_id):
        object.__setattr__(self, "_record", record)
        object.__setattr__(self, "tenant_id", tenant_id)

    def __getattr__(self, name):
        return getattr(object.__getattribute__(self, "_record"), name)


def for_namespace(record, tenant):
    """The record itself when its tenant_id fits namespace `tenant` ("" = global), else a Retenanted view.

    A record with no tenant_id (None) fits every namespace.
    """
    own = getattr(record, "tenant_id", None)
    if own is None or own == tenant:
        return record
    return Retenanted(record, tenant or None)


def stamp_tenant(record, tenant):
    """Sets record.tenant_id to `tenant` when it is None, as the reference does on add.

    Returns the record to store: the record itself, or a Retenanted view when
    its own tenant_id names another namespace (the caller's object keeps it).
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
    return Retenanted(record, tenant or None)
