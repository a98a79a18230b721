"""GraphstoreBackedStore: every GraphStore method over a graphstore.aio store.

The three drop-in stores (in-memory, SQLite, PostgreSQL) differ only in the
plugin they open, their constructor arguments, their get_stats keys and a few
reference messages; everything else is here. Hot paths (get_entity,
get_neighbors, add_entity) do no more than an ``is None`` check before the
native call; records come back as the drop-in's models, built by the models'
record factories.
"""
import asyncio
import inspect

import graphstore as gs
from graphstore import _native

from . import _convert, _transaction
from ._convert import DIRECTIONS, not_initialized, stamp_tenant, tenant_of, to_raw_cosine
from .base import GraphStore, execute_graph_query
from .models import Entity, Path, Relation
from .tenant import CrossTenantRelationError

_TX = _transaction.CURRENT

# The native side reads these models' slots (the store's JSON text, float32
# array and microseconds, when never materialised) instead of their properties.
_native.register_model_types(Entity, Relation)


async def _maybe_await(value):
    if inspect.isawaitable(value):
        return await value
    return value


async def open_async_store(backend, options):
    """A graphstore.aio store of `backend` with `options`, its records built as the drop-in's models."""
    from graphstore import aio

    store = await _maybe_await(aio.open_backend(backend, options))
    await _maybe_await(store.set_record_factories(Entity._from_store, Relation._from_store))
    return store


_INLINE_READS = ("get_entity", "get_relation", "get_neighbors")
# A nonblocking store's bulk adds: records per native call, and how many
# records between turns of the event loop (about 10 ms of adding).
_BULK_SLICE = 256
_BULK_TURN = 16384
# What a nonblocking plugin's store calls directly: the point reads, and
# add_entity (the one-by-one write of bulk loading code).
_INLINE_CALLS = _INLINE_READS + ("add_entity",)


class GraphstoreBackedStore(GraphStore):
    """A GraphStore whose data lives in a graphstore store (self._gs, a graphstore.aio.AsyncStore).

    After initialize(): self._gs is the open store and self._gs_backend the
    (plugin id, options) that open the same storage elsewhere. Every call
    before initialize() or after close() raises RuntimeError.
    """

    # The reference's message for a missing relation endpoint ("Source"/"Target", id).
    _missing_endpoint = "{} entity '{}' not found"
    # The reference's update/delete of a missing record: its message, or None when silent.
    _update_missing = "{} with ID '{}' does not exist"
    _delete_missing = None
    _default_find_paths_depth = 5

    _gs = None
    _gs_backend = None

    # ---- lifecycle ----
    def _backend(self):
        """(plugin id, options dict) of the storage this store opens; subclasses say."""
        raise NotImplementedError

    async def _open(self):
        """Opens the store once; initialize() is idempotent."""
        if self._gs is not None:
            return
        backend, options = self._backend()
        self._gs = await open_async_store(backend, options)
        self._gs_backend = (backend, dict(options))
        inline = _INLINE_CALLS if getattr(self._gs, "inline", False) else self._inline_point_reads()
        if inline:
            self._install_inline_reads(self._gs.store, inline)

    def _inline_point_reads(self):
        """The reads (of get_entity, get_relation, get_neighbors) that may run on the event loop.

        All three for a nonblocking plugin; a subclass names those that take
        microseconds on its backend and never wait for a writer.
        """
        return ()

    def _inline_neighbors_ready(self, sync):
        """None when an inline get_neighbors may always run on the event loop; else a
        callable saying, per call, whether it may now (False: it runs as the other calls)."""
        return None

    def _install_inline_reads(self, sync, names):
        """Point reads as instance attributes calling the synchronous store directly.

        For a nonblocking plugin graphstore.aio would run the call inline
        anyway; skipping its coroutine saves a frame on the hottest calls.
        A subclass that overrides one of these methods keeps its own.
        """
        cls = type(self)
        if "get_entity" in names and cls.get_entity is GraphstoreBackedStore.get_entity:
            get_entity = sync.get_entity

            async def fast_get_entity(entity_id, context=None):
                if context is None:
                    return get_entity(entity_id)
                return get_entity(entity_id, tenant=context.tenant_id)

            fast_get_entity.__doc__ = GraphstoreBackedStore.get_entity.__doc__
            self.get_entity = fast_get_entity
        if "get_relation" in names and cls.get_relation is GraphstoreBackedStore.get_relation:
            get_relation = sync.get_relation

            async def fast_get_relation(relation_id, context=None):
                if context is None:
                    return get_relation(relation_id)
                return get_relation(relation_id, tenant=context.tenant_id)

            fast_get_relation.__doc__ = GraphstoreBackedStore.get_relation.__doc__
            self.get_relation = fast_get_relation
        if "get_neighbors" in names and cls.get_neighbors is GraphstoreBackedStore.get_neighbors:
            neighbor_entities = sync.neighbor_entities
            ready = self._inline_neighbors_ready(sync)
            pooled = GraphstoreBackedStore.get_neighbors.__get__(self)

            async def fast_get_neighbors(entity_id, relation_type=None, direction="outgoing", context=None):
                way = DIRECTIONS.get(direction)
                if way is None:
                    return []
                if ready is not None and not ready():
                    return await pooled(entity_id, relation_type, direction, context)
                if context is None:
                    return neighbor_entities(entity_id, way, relation_type, distinct=True)
                return neighbor_entities(entity_id, way, relation_type, tenant=context.tenant_id, distinct=True)

            fast_get_neighbors.__doc__ = GraphstoreBackedStore.get_neighbors.__doc__
            self.get_neighbors = fast_get_neighbors
        if "add_entity" in names and cls.add_entity is GraphstoreBackedStore.add_entity:
            add_entity = sync.add_entity

            async def fast_add_entity(entity, context=None):
                if context is None and getattr(entity, "tenant_id", None) is None:
                    # The common case, stamp_tenant's first branch with nothing to stamp.
                    tenant = record = None
                else:
                    tenant = "" if context is None else context.tenant_id
                    record = stamp_tenant(entity, tenant)
                tx = _TX.get()
                if tx is not None and tx.store is self:
                    tx.add(tenant or "", "add_entity", entity if record is None else record)
                    return
                try:
                    if record is None:
                        add_entity(entity)  # the store's default tenant: the global namespace
                    else:
                        add_entity(record, tenant=tenant)
                except gs.AlreadyExistsError:
                    raise ValueError(f"Entity with ID '{entity.id}' already exists") from None

            fast_add_entity.__doc__ = GraphstoreBackedStore.add_entity.__doc__
            self.add_entity = fast_add_entity

    async def _close_store(self):
        for name in _INLINE_CALLS:
            self.__dict__.pop(name, None)
        store, self._gs = self._gs, None
        if store is not None:
            await _maybe_await(store.close())

    # ---- translation of failures ----
    async def _endpoint_error(self, relation, tenant):
        for role, entity_id in (("Source", relation.source_id), ("Target", relation.target_id)):
            if await self._gs.get_entity(entity_id, tenant=tenant) is None:
                return ValueError(self._missing_endpoint.format(role, entity_id))
        return None

    def _translate_batch_error(self, error, op):
        """What a failing transaction write raises: the exception of the same call made outside one."""
        if op is None:
            return error
        _, method, arg = op
        kind = "Entity" if method.endswith("entity") else "Relation"
        ident = arg if isinstance(arg, str) else arg.id
        if isinstance(error, gs.AlreadyExistsError):
            return ValueError(f"{kind} with ID '{ident}' already exists")
        if isinstance(error, gs.NotFoundError):
            if method == "add_relation":
                return ValueError(f"Source or target entity of relation '{ident}' not found: {error.message}")
            template = self._update_missing if method.startswith("update") else (
                self._delete_missing or "{} with ID '{}' does not exist")
            return ValueError(template.format(kind, ident))
        return error

    async def _apply_pending(self, ops):
        await _transaction.apply_ops(self._gs, ops, self._translate_batch_error)

    def transaction(self):
        """An async context manager: the writes of the block are applied atomically at its end (see _transaction)."""
        if self._gs is None:
            raise not_initialized()
        return _transaction.Transaction(self)

    def _pending(self):
        tx = _TX.get()
        return tx if tx is not None and tx.store is self else None

    # ---- Tier 1 ----
    async def add_entity(self, entity, context=None):
        """Adds an entity to the context's namespace; ValueError when the id exists there.

        entity.tenant_id, when None, is set to the context's tenant (as the
        reference does); it never chooses the namespace.
        """
        store = self._gs
        if store is None:
            raise not_initialized()
        tenant = "" if context is None else context.tenant_id
        record = stamp_tenant(entity, tenant)
        tx = _TX.get()
        if tx is not None and tx.store is self:
            tx.add(tenant, "add_entity", record)
            return
        try:
            await store.add_entity(record, tenant=tenant)
        except gs.AlreadyExistsError:
            raise ValueError(f"Entity with ID '{entity.id}' already exists") from None

    async def get_entity(self, entity_id, context=None):
        """The entity of that id in the context's namespace, or None."""
        store = self._gs
        if store is None:
            raise not_initialized()
        if context is None:
            return await store.get_entity(entity_id)
        return await store.get_entity(entity_id, tenant=context.tenant_id)

    async def add_relation(self, relation, context=None):
        """Adds a relation; ValueError on a duplicate id or a missing endpoint.

        With a context, a relation whose own tenant_id names another tenant
        raises CrossTenantRelationError.
        """
        store = self._gs
        if store is None:
            raise not_initialized()
        tenant = "" if context is None else context.tenant_id
        if context is not None:
            own = getattr(relation, "tenant_id", None)
            if own is not None and own != tenant:
                raise CrossTenantRelationError(own, tenant)
        record = stamp_tenant(relation, tenant)
        tx = _TX.get()
        if tx is not None and tx.store is self:
            tx.add(tenant, "add_relation", record)
            return
        try:
            await store.add_relation(record, tenant=tenant)
        except gs.AlreadyExistsError:
            raise ValueError(f"Relation with ID '{relation.id}' already exists") from None
        except gs.NotFoundError:
            error = await self._endpoint_error(relation, tenant)
            if error is None:
                raise
            raise error from None

    async def get_relation(self, relation_id, context=None):
        """The relation of that id in the context's namespace, or None."""
        store = self._gs
        if store is None:
            raise not_initialized()
        if context is None:
            return await store.get_relation(relation_id)
        return await store.get_relation(relation_id, tenant=context.tenant_id)

    async def get_neighbors(self, entity_id, relation_type=None, direction="outgoing", context=None):
        """The distinct entities one relation away, in relation-id order, each once.

        direction: "outgoing", "incoming" or "both"; any other value gives [].
        An unknown entity gives [].
        """
        store = self._gs
        if store is None:
            raise not_initialized()
        way = DIRECTIONS.get(direction)
        if way is None:
            return []
        # Deduplicated natively: one model object per distinct neighbour.
        return await store._run(store.store.neighbor_entities, (entity_id, way, relation_type),
                                {"tenant": "" if context is None else context.tenant_id, "distinct": True})

    async def initialize(self):
        """Opens the storage (idempotent)."""
        await self._open()

    async def close(self):
        """Closes the storage (idempotent); later calls raise RuntimeError until initialize()."""
        await self._close_store()

    # ---- updates and deletes ----
    async def update_entity(self, entity, context=None):
        """Replaces the entity's type, properties, embedding and source; returns the entity.

        ValueError when the id is absent from the namespace.
        """
        store = self._gs
        if store is None:
            raise not_initialized()
        tenant = tenant_of(context)
        record = _convert.for_update(entity, tenant)
        tx = self._pending()
        if tx is not None:
            tx.add(tenant, "update_entity", record)
            return entity
        try:
            await store.update_entity(record, tenant=tenant)
        except gs.NotFoundError:
            raise ValueError(self._update_missing.format("Entity", entity.id)) from None
        return entity

    async def delete_entity(self, entity_id, context=None):
        """Deletes the entity and every relation touching it (one atomic step).

        A missing id is silent, or ValueError where the reference's backend raised.
        """
        store = self._gs
        if store is None:
            raise not_initialized()
        tenant = tenant_of(context)
        tx = self._pending()
        if tx is not None:
            if (self._delete_missing is None and not tx.pending_entity(tenant, entity_id)
                    and await store.get_entity(entity_id, tenant=tenant) is None):
                return
            tx.add(tenant, "delete_entity", entity_id)
            return
        try:
            await store.delete_entity(entity_id, tenant=tenant)
        except gs.NotFoundError:
            if self._delete_missing is not None:
                raise ValueError(self._delete_missing.format("Entity", entity_id)) from None

    async def update_relation(self, relation, context=None):
        """Replaces the relation's type, properties, weight and source, and moves its endpoints if they changed.

        Moved endpoints must exist (ValueError otherwise, nothing changes);
        ValueError when the id is absent. Returns the relation.
        """
        store = self._gs
        if store is None:
            raise not_initialized()
        tenant = tenant_of(context)
        record = _convert.for_update(relation, tenant)
        current = await store.get_relation(relation.id, tenant=tenant)
        if current is None and self._pending() is None:
            raise ValueError(self._update_missing.format("Relation", relation.id))
        moved = current is not None and (current.source_id != relation.source_id
                                         or current.target_id != relation.target_id)
        tx = self._pending()
        if not moved:
            if tx is not None:
                tx.add(tenant, "update_relation", record)
                return relation
            try:
                await store.update_relation(record, tenant=tenant)
            except gs.NotFoundError:
                raise ValueError(self._update_missing.format("Relation", relation.id)) from None
            return relation
        if tx is not None:
            tx.add(tenant, "delete_relation", relation.id)
            tx.add(tenant, "add_relation", record)
            return relation
        try:
            await _transaction.apply_ops(store, [(tenant, "delete_relation", relation.id),
                                                 (tenant, "add_relation", record)], lambda e, op: e)
        except gs.NotFoundError:
            error = await self._endpoint_error(relation, tenant)
            raise (error or ValueError(self._update_missing.format("Relation", relation.id))) from None
        return relation

    async def delete_relation(self, relation_id, context=None):
        """Deletes one relation; a missing id is silent, or ValueError where the reference's backend raised."""
        store = self._gs
        if store is None:
            raise not_initialized()
        tenant = tenant_of(context)
        tx = self._pending()
        if tx is not None:
            if self._delete_missing is None and await store.get_relation(relation_id, tenant=tenant) is None:
                return
            tx.add(tenant, "delete_relation", relation_id)
            return
        try:
            await store.delete_relation(relation_id, tenant=tenant)
        except gs.NotFoundError:
            if self._delete_missing is not None:
                raise ValueError(self._delete_missing.format("Relation", relation_id)) from None

    # ---- relations of an entity ----
    async def get_outgoing_relations(self, entity_id, context=None):
        """Every relation leaving the entity (parallel relations included), in relation-id order."""
        store = self._gs
        if store is None:
            raise not_initialized()
        return [n.relation for n in await store.neighbors(entity_id, direction="out", tenant=tenant_of(context))]

    async def get_incoming_relations(self, entity_id, context=None):
        """Every relation arriving at the entity (parallel relations included), in relation-id order."""
        store = self._gs
        if store is None:
            raise not_initialized()
        return [n.relation for n in await store.neighbors(entity_id, direction="in", tenant=tenant_of(context))]

    # ---- bulk ----
    async def add_entities_bulk(self, entities, context=None):
        """Adds the entities (one native call, or slices of one on a nonblocking store); duplicates and invalid
        entities are skipped. Returns the number added."""
        return await self._bulk("add_entities_bulk", entities, context)

    async def add_relations_bulk(self, relations, context=None):
        """Adds the relations as add_entities_bulk does; duplicates and missing endpoints are skipped. Returns the
        number added."""
        return await self._bulk("add_relations_bulk", relations, context)

    async def _bulk(self, name, records, context):
        store = self._gs
        if store is None:
            raise not_initialized()
        tenant = tenant_of(context)
        # into_tenant: each record's own tenant_id is replaced natively by the
        # namespace (the records themselves are left alone).
        if not getattr(store, "inline", False):
            return (await getattr(store, name)(records, tenant=tenant, into_tenant=True)).added
        # A nonblocking store takes the records in slices, each one native
        # call: the reference's bulk was a loop of adds, so nothing promised
        # one atomic step, and a slice converts into host records that fit
        # in memory the allocator reuses (a whole 10,000 took 4.3 MB of
        # fresh pages, faulted in at 5-18 us each on the VMs we measure on,
        # more than the adding). The loop gets a turn between slices of a
        # long load.
        add = getattr(store.store, name)
        if not isinstance(records, (list, tuple)):
            records = list(records)
        added = 0
        for start in range(0, len(records), _BULK_SLICE):
            added += add(records[start:start + _BULK_SLICE], tenant=tenant, into_tenant=True).added
            if start and start % _BULK_TURN == 0:
                await asyncio.sleep(0)
        return added

    # ---- Tier 2 ----
    async def traverse(self, start_entity_id, relation_type=None, max_depth=3, max_results=100, context=None):
        """Breadth-first paths from the start over outgoing relations: one shortest path per reached entity.

        Paths carry the real relations. The start alone is not a path;
        max_depth counts relations; at most max_results paths. A missing
        start gives [].
        """
        store = self._gs
        if store is None:
            raise not_initialized()
        if max_results <= 0 or max_depth <= 0:
            return []
        tenant = tenant_of(context)
        try:
            result = await store.traverse(start_entity_id, direction="out", relation_type=relation_type,
                                          max_depth=max_depth, max_results=max_results + 1, tenant=tenant)
        except gs.NotFoundError:
            return []  # a missing start
        hits = result.hits
        if not hits:
            return []
        routes = {}  # entity id -> (nodes, edges) of its path from the start
        if hits[0].depth != 0:  # the start is not among the hits: read it once
            start = await store.get_entity(start_entity_id, tenant=tenant)
            if start is None:
                return []
            routes[start.id] = ([start], [])
        paths = []
        for hit in hits:
            entity = hit.entity
            via = hit.via
            if hit.depth == 0 or via is None:
                routes[entity.id] = ([entity], [])
                continue
            parent = routes.get(via.source_id)
            if parent is None:
                continue
            nodes = parent[0] + [entity]
            edges = parent[1] + [via]
            routes[entity.id] = (nodes, edges)
            paths.append(Path(nodes=nodes, edges=edges))
            if len(paths) >= max_results:
                break
        return paths

    async def find_paths(self, source_entity_id, target_entity_id, max_depth=None, max_paths=10, context=None):
        """Every simple path from source to target of at most max_depth relations, shortest first, up to max_paths.

        Paths follow relations forward and carry the real relations. A
        missing endpoint gives [].
        """
        store = self._gs
        if store is None:
            raise not_initialized()
        if max_depth is None:
            max_depth = self._default_find_paths_depth
        if max_paths <= 0 or max_depth <= 0:
            return []
        try:
            result = await store.find_paths(source_entity_id, target_entity_id, max_depth=max_depth,
                                            max_paths=max_paths, tenant=tenant_of(context))
        except gs.NotFoundError:
            return []  # a missing endpoint
        return [Path(nodes=list(p.entities), edges=list(p.relations)) for p in result.paths]

    async def subgraph_query(self, entity_ids, include_relations=True, context=None):
        """(entities, relations): the entities of entity_ids that exist, in input order (repeats kept), and the real relations among them."""
        store = self._gs
        if store is None:
            raise not_initialized()
        ids = list(entity_ids)
        if not ids:
            return [], []
        sub = await store.subgraph(list(dict.fromkeys(ids)), tenant=tenant_of(context))
        by_id = {e.id: e for e in sub.entities}
        entities = [by_id[i] for i in ids if i in by_id]
        return entities, (list(sub.relations) if include_relations else [])

    async def get_all_entities(self, entity_type=None, limit=None, offset=0, context=None):
        """The namespace's entities (of one type when given) in id order, offset then limit."""
        store = self._gs
        if store is None:
            raise not_initialized()
        return await store.get_all_entities(type=entity_type, offset=offset or 0, limit=limit,
                                            tenant=tenant_of(context))

    async def vector_search(self, query_embedding, entity_type=None, max_results=10, score_threshold=0.0,
                            context=None):
        """(entity, score) pairs, best first, score = (cos+1)/2 in [0, 1], kept when >= score_threshold.

        query_embedding: a list or numpy array. An empty query raises
        ValueError; a zero query gives []. Entities without an embedding or
        of another dimension are not candidates.
        """
        store = self._gs
        if store is None:
            raise not_initialized()
        if query_embedding is None or len(query_embedding) == 0:
            raise ValueError("Query embedding cannot be empty")
        if max_results <= 0:
            return []
        any_set = getattr(query_embedding, "any", None)
        if not (any_set() if any_set is not None else any(query_embedding)):
            return []  # a zero vector has no direction: the reference returns []
        hits = await store.vector_search(query_embedding, k=max_results, entity_type=entity_type,
                                         min_score=to_raw_cosine(score_threshold), tenant=tenant_of(context))
        return [(h.entity, (h.score + 1.0) * 0.5) for h in hits]

    async def text_search(self, query_text, entity_type=None, max_results=10, score_threshold=0.0,
                          method="bm25", context=None):
        """(entity, score) pairs, best first, by "bm25", "jaccard", "cosine" or "levenshtein" over property strings.

        An empty query gives []; an unknown method raises ValueError.
        """
        store = self._gs
        if store is None:
            raise not_initialized()
        if not query_text or max_results <= 0:
            return []
        if method not in ("bm25", "jaccard", "cosine", "levenshtein"):
            raise ValueError(f"Unknown text search method: {method}. "
                             "Use 'bm25', 'jaccard', 'cosine', or 'levenshtein'")
        hits = await store.text_search(query_text, method=method, k=max_results, entity_type=entity_type,
                                       min_score=score_threshold, tenant=tenant_of(context))
        return [(h.entity, h.score) for h in hits]

    async def execute_query(self, query, context=None):
        """Runs a GraphQuery (query.tenant_id, when set, overrides context) and returns a GraphResult."""
        if self._gs is None:
            raise not_initialized()
        return await execute_graph_query(self, query, context)

    async def clear(self, context=None):
        """Removes everything (context None: every namespace) or the context's tenant only."""
        store = self._gs
        if store is None:
            raise not_initialized()
        if context is None:
            await store.clear(all_tenants=True)
        else:
            await store.clear(tenant=context.tenant_id)

    # ---- tenants ----
    async def get_tenant_ids(self):
        """The tenants holding data, sorted (the global namespace is not one)."""
        store = self._gs
        if store is None:
            raise not_initialized()
        return list(await store.list_tenants())

    async def get_tenant_count(self):
        """How many tenants hold data."""
        return len(await self.get_tenant_ids())

    async def _counts(self, context):
        """(entity_count, relation_count, entities_by_type, relations_by_type) of the namespace."""
        store = self._gs
        if store is None:
            raise not_initialized()
        stats = await store.stats(tenant=tenant_of(context))
        return (stats.entity_count, stats.relation_count, dict(stats.entities_by_type),
                dict(stats.relations_by_type))
