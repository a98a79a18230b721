"""The reference's exception names catch what the drop-in raises."""
import pytest

import graphstore as gs
from graphstore.aiecs import Entity, InMemoryGraphStore, TenantContext
from graphstore.aiecs.error_handling import (GraphStoreConnectionError, GraphStoreError,
                                             GraphStoreValidationError)


def test_names_are_graphstore_errors():
    assert GraphStoreError is gs.Error and GraphStoreConnectionError is gs.UnavailableError
    assert issubclass(GraphStoreValidationError, ValueError)


async def test_a_store_failure_is_caught_by_the_reference_name():
    store = InMemoryGraphStore()
    await store.initialize()
    with pytest.raises(GraphStoreError):
        await store.add_entity(Entity(id="a", entity_type="T"), context=TenantContext("bad id", validate=False))
    await store.close()
