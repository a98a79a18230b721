"""InMemoryGraphStore: the reference's in-memory store over graphstore's inmemory plugin.

Calls run inline on the event loop (the plugin never blocks), so
``await store.get_entity(id)`` costs about one native lookup. Differences
from the reference (docs/python.md): tenants are never evicted
(max_tenant_graphs is accepted and reported only), parallel relations are all
kept, neighbours are returned once each, and close() releases the data (as
the reference's close() wiped it).
"""
import os

from ._backed import GraphstoreBackedStore
from ._convert import not_initialized, tenant_of

_DEFAULT_MAX_TENANTS = 100


def _max_tenants(value):
    if value is not None:
        return value
    try:
        return int(os.environ.get("KG_INMEMORY_MAX_TENANTS", _DEFAULT_MAX_TENANTS))
    except ValueError:
        return _DEFAULT_MAX_TENANTS


class _Stats(dict):
    """get_stats()'s dict, also awaitable: the reference's in-memory get_stats is synchronous,
    and code written for the SQL stores awaits it."""

    def __await__(self):
        return self
        yield  # a generator: awaiting gives the dict itself


class InMemoryGraphStore(GraphstoreBackedStore):
    """The reference's InMemoryGraphStore: a graph per tenant, in process memory.

    property_storage_config is accepted (the store keeps properties as
    given). max_tenant_graphs (else $KG_INMEMORY_MAX_TENANTS, else 100) is
    accepted for compatibility: graphstore never evicts a tenant's data.
    """

    _missing_endpoint = "{} entity '{}' not found"
    _update_missing = "{} with ID '{}' not found"
    _delete_missing = None

    def __init__(self, property_storage_config=None, max_tenant_graphs=None):
        self.property_storage_config = property_storage_config
        self.max_tenant_graphs = _max_tenants(max_tenant_graphs)
        self._initialized = False
        self._indexed_properties = set()

    def _backend(self):
        return "inmemory", {}

    async def initialize(self):
        """Opens an empty in-memory graph (idempotent)."""
        await self._open()
        self._initialized = True

    async def close(self):
        """Releases the graph and its data, as the reference's close() wiped it; initialize() starts empty."""
        self._initialized = False
        await self._close_store()

    def _sync(self):
        """The synchronous graphstore.Store under self._gs (for the reference's synchronous methods)."""
        return self._gs.store

    def get_stats(self, context=None):
        """{nodes, edges, entities, relations, tenant_count} of the context's namespace (synchronous; awaitable too).

        Zeros before initialize(), as the reference.
        """
        if self._gs is None:
            return _Stats(nodes=0, edges=0, entities=0, relations=0, tenant_count=0)
        store = self._sync()
        stats = store.stats(tenant=tenant_of(context))
        return _Stats(nodes=stats.entity_count, edges=stats.relation_count, entities=stats.entity_count,
                      relations=stats.relation_count, tenant_count=len(store.list_tenants()))

    # ---- the reference's property lookups (a scan: graphstore keeps no property index) ----
    def lookup_by_property(self, property_name, value, context=None):
        """The set of ids of the namespace's entities whose property equals value (synchronous)."""
        if self._gs is None:
            raise not_initialized()
        return {e.id for e in self._sync().scan_entities(tenant=tenant_of(context))
                if property_name in e.properties and e.properties[property_name] == value}

    async def get_entities_by_property(self, property_name, value, context=None):
        """The namespace's entities whose property equals value, in id order."""
        if self._gs is None:
            raise not_initialized()
        found = []
        async for entity in self._gs.scan_entities(tenant=tenant_of(context)):
            props = entity.properties
            if property_name in props and props[property_name] == value:
                found.append(entity)
        return found

    def add_indexed_property(self, property_name, context=None):
        """Accepted for compatibility (synchronous): lookups scan, so there is no index to build."""
        self._indexed_properties.add(property_name)

    def __str__(self):
        stats = self.get_stats()
        return (f"InMemoryGraphStore(global_entities={stats['entities']}, "
                f"global_relations={stats['relations']}, tenant_count={stats['tenant_count']})")

    __repr__ = __str__
