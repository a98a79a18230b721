"""Tenant helpers: validation (fullmatch), normalisation, context, errors."""
import pytest

from graphstore.aiecs.tenant import (
    CrossTenantFusionError, CrossTenantRelationError, InvalidTenantIdError, TenantAwareStorageResolver,
    TenantContext, TenantContextRequiredError, TenantIsolationMode, normalize_tenant_id,
    validate_tenant_id,
)


def test_modes():
    assert [m.value for m in TenantIsolationMode] == ["disabled", "shared_schema", "separate_schema"]
    assert TenantIsolationMode("shared_schema") == "shared_schema"


@pytest.mark.parametrize("good", ["a", "acme-corp", "ACME_1", "x" * 255, "0"])
def test_valid_ids(good):
    assert validate_tenant_id(good) == good


@pytest.mark.parametrize("bad,reason", [
    ("", "tenant_id cannot be empty"),
    ("x" * 256, "tenant_id must be at most 255 characters"),
    ("acme\n", "tenant_id can only contain alphanumeric characters, hyphens, and underscores"),
    ("acme corp", "tenant_id can only contain"),
    ("a;DROP TABLE", "tenant_id can only contain"),
    ("é", "tenant_id can only contain"),
    (None, "tenant_id must be a string"),
    (42, "tenant_id must be a string"),
])
def test_invalid_ids(bad, reason):
    with pytest.raises(InvalidTenantIdError) as info:
        validate_tenant_id(bad)
    assert isinstance(info.value, ValueError)
    assert str(info.value).startswith(f"Invalid tenant_id format: '{bad}'. {reason}")
    assert info.value.tenant_id == str(bad) and info.value.reason.startswith(reason)


def test_normalize():
    assert normalize_tenant_id(None) is None
    assert normalize_tenant_id("   ") is None
    assert normalize_tenant_id(" Acme ") == "Acme"


def test_context():
    ctx = TenantContext("acme")
    assert ctx.isolation_mode is TenantIsolationMode.SHARED_SCHEMA and ctx.validate is True
    assert str(ctx) == "TenantContext(tenant_id=acme, mode=shared_schema)"
    assert repr(ctx) == "TenantContext(tenant_id='acme', isolation_mode=TenantIsolationMode.SHARED_SCHEMA)"
    assert TenantContext("a", "separate_schema").isolation_mode is TenantIsolationMode.SEPARATE_SCHEMA
    assert TenantContext("acme") == TenantContext(tenant_id="acme")
    with pytest.raises(InvalidTenantIdError):
        TenantContext("acme\n")
    # validate=False postpones the check to the store (which refuses the id).
    assert TenantContext("bad id", validate=False).tenant_id == "bad id"


def test_error_messages():
    assert str(CrossTenantRelationError("a", None)) == \
        "Cannot create relation across tenants: source_tenant=a, target_tenant=None"
    e = CrossTenantFusionError({"b", "a"})
    assert str(e) == "Cannot fuse entities across tenants. Found entities from multiple tenants: ['a', 'b']"
    assert str(TenantContextRequiredError("add_entity")) == (
        "TenantContext is required for add_entity in multi-tenant mode. "
        "Please provide a TenantContext with tenant_id.")
    for cls in (CrossTenantRelationError, CrossTenantFusionError, TenantContextRequiredError):
        assert issubclass(cls, ValueError)


def test_resolver():
    r = TenantAwareStorageResolver()
    sep = TenantContext("acme", TenantIsolationMode.SEPARATE_SCHEMA)
    shared = TenantContext("acme")
    assert r.resolve_table_name("entities", None) == "entities"
    assert r.resolve_table_name("entities", shared) == "entities"
    assert r.resolve_table_name("entities", sep) == "tenant_acme_entities"
    assert r.resolve_schema_name(sep) == "tenant_acme" and r.resolve_schema_name(shared) is None
    assert r.resolve_database_path("/data/graph.db", sep) == "/data/tenant_acme.db"
    assert r.resolve_database_path("graph.db", sep) == "tenant_acme.db"
    assert r.should_filter_by_tenant_id(shared) and not r.should_filter_by_tenant_id(sep)
    with pytest.raises(InvalidTenantIdError):
        r.validate_context(TenantContext("x y", validate=False))
