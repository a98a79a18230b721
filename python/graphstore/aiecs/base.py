"""The reference's abstract GraphStore: Tier 1 abstract, Tier 2 with defaults.

A user's own subclass that implements Tier 1 keeps working: the Tier 2
defaults below run over it. Unlike the reference's defaults they return real
relations: when the subclass has ``get_outgoing_relations(entity_id,
context=None)`` (as the drop-in stores do) traverse, find_paths and
subgraph_query walk the stored relations; without it they fall back to
``get_neighbors`` and, as the reference did, stand a placeholder relation
(id ``rel_{a}_{b}``, type ``relation_type or "CONNECTED_TO"``) for each step.
The graphstore-backed stores override every method natively.
"""
import math
import time
from abc import ABC, abstractmethod
from collections import deque

from . import _text_scoring
from .models import GraphResult, Path, QueryType, Relation


def _ctx(context):
    """Keyword arguments passing context on only when set (older subclasses lack the parameter)."""
    return {} if context is None else {"context": context}


class GraphStore(ABC):
    """Abstract graph storage: every method is a coroutine taking an optional TenantContext.

    context=None is the global namespace. Tier 1 (initialize, close,
    add_entity, get_entity, add_relation, get_relation, get_neighbors) must be
    implemented; Tier 2 has defaults built on Tier 1.
    """

    # ---- Tier 1 ----
    @abstractmethod
    async def initialize(self):
        """Connects and creates what the store needs; calls before it raise RuntimeError."""

    @abstractmethod
    async def close(self):
        """Releases the store's resources."""

    @abstractmethod
    async def add_entity(self, entity, context=None):
        """Adds an entity; ValueError when its id exists in the namespace."""

    @abstractmethod
    async def get_entity(self, entity_id, context=None):
        """The entity of that id, or None."""

    @abstractmethod
    async def add_relation(self, relation, context=None):
        """Adds a relation; ValueError on a duplicate id or a missing endpoint."""

    @abstractmethod
    async def get_relation(self, relation_id, context=None):
        """The relation of that id, or None."""

    @abstractmethod
    async def get_neighbors(self, entity_id, relation_type=None, direction="outgoing", context=None):
        """The entities one relation away ("outgoing", "incoming" or "both"); [] otherwise."""

    # ---- Bulk (defaults loop over Tier 1) ----
    async def add_entities_bulk(self, entities, context=None):
        """Adds each entity, skipping those that raise ValueError; returns how many were added."""
        added = 0
        for entity in entities:
            try:
                await self.add_entity(entity, **_ctx(context))
                added += 1
            except ValueError:
                pass
        return added

    async def add_relations_bulk(self, relations, context=None):
        """Adds each relation, skipping duplicates and missing endpoints; returns how many were added."""
        added = 0
        for relation in relations:
            try:
                await self.add_relation(relation, **_ctx(context))
                added += 1
            except ValueError:
                pass
        return added

    # ---- Tier 2 ----
    async def _outgoing(self, entity_id, relation_type, context):
        """(relation, neighbour entity) pairs leaving entity_id: real relations when the subclass can list them."""
        lister = getattr(self, "get_outgoing_relations", None)
        if lister is not None:
            pairs = []
            for rel in await lister(entity_id, **_ctx(context)):
                if relation_type is not None and rel.relation_type != relation_type:
                    continue
                target = await self.get_entity(rel.target_id, **_ctx(context))
                if target is not None:
                    pairs.append((rel, target))
            return pairs
        neighbours = await self.get_neighbors(
            entity_id, relation_type=relation_type, direction="outgoing", **_ctx(context))
        return [(Relation(id=f"rel_{entity_id}_{n.id}", relation_type=relation_type or "CONNECTED_TO",
                          source_id=entity_id, target_id=n.id), n) for n in neighbours]

    async def traverse(self, start_entity_id, relation_type=None, max_depth=3, max_results=100, context=None):
        """Breadth-first paths from the start, outgoing only: one shortest path to each reached entity.

        The start alone is not a path; max_depth counts relations
        (inclusive); at most max_results paths. A missing start gives [].
        """
        start = await self.get_entity(start_entity_id, **_ctx(context))
        if start is None:
            return []
        paths = []
        visited = {start.id}
        queue = deque([(start, [start], [])])
        while queue and len(paths) < max_results:
            entity, nodes, edges = queue.popleft()
            if len(edges) >= max_depth:
                continue
            for rel, neighbour in await self._outgoing(entity.id, relation_type, context):
                if neighbour.id in visited:
                    continue
                visited.add(neighbour.id)
                step_nodes, step_edges = nodes + [neighbour], edges + [rel]
                paths.append(Path(nodes=step_nodes, edges=step_edges))
                if len(paths) >= max_results:
                    break
                queue.append((neighbour, step_nodes, step_edges))
        return paths

    async def find_paths(self, source_entity_id, target_entity_id, max_depth=5, max_paths=10, context=None):
        """Every simple path (no repeated entity) of at most max_depth relations, shortest first, up to max_paths.

        A missing endpoint gives []. Exponential in the worst case, as any
        enumeration of simple paths.
        """
        source = await self.get_entity(source_entity_id, **_ctx(context))
        if source is None or await self.get_entity(target_entity_id, **_ctx(context)) is None:
            return []
        found = []
        adjacency = {}

        async def out(entity_id):
            if entity_id not in adjacency:
                adjacency[entity_id] = await self._outgoing(entity_id, None, context)
            return adjacency[entity_id]

        async def walk(nodes, edges, on_path):
            if nodes[-1].id == target_entity_id and edges:
                found.append(Path(nodes=list(nodes), edges=list(edges)))
                return
            if len(edges) >= max_depth:
                return
            for rel, neighbour in await out(nodes[-1].id):
                if neighbour.id in on_path:
                    continue
                on_path.add(neighbour.id)
                nodes.append(neighbour)
                edges.append(rel)
                await walk(nodes, edges, on_path)
                nodes.pop()
                edges.pop()
                on_path.discard(neighbour.id)

        await walk([source], [], {source.id})
        found.sort(key=lambda p: len(p.edges))  # stable: depth-first order within a length
        return found[:max_paths]

    async def subgraph_query(self, entity_ids, include_relations=True, context=None):
        """(entities, relations): the entities of entity_ids that exist (input order), and the relations among them."""
        entities = []
        for entity_id in entity_ids:
            entity = await self.get_entity(entity_id, **_ctx(context))
            if entity is not None:
                entities.append(entity)
        relations = []
        if include_relations:
            members = set(entity_ids)
            seen = set()
            for entity_id in dict.fromkeys(entity_ids):
                for rel, neighbour in await self._outgoing(entity_id, None, context):
                    if neighbour.id in members and rel.id not in seen:
                        seen.add(rel.id)
                        relations.append(rel)
        return entities, relations

    async def get_all_entities(self, entity_type=None, limit=None, offset=0, context=None):
        """Every entity of the namespace (optionally of one type), offset then limit; subclasses implement it."""
        raise NotImplementedError("get_all_entities is not implemented by this store")

    async def vector_search(self, query_embedding, entity_type=None, max_results=10, score_threshold=0.0,
                            context=None):
        """(entity, score) pairs, best first; score = (cos+1)/2 in [0, 1], kept when >= score_threshold.

        Brute force over get_all_entities. An empty query raises ValueError;
        entities without an embedding, of another dimension or of zero norm
        are skipped.
        """
        query = [float(x) for x in query_embedding]
        if not query:
            raise ValueError("Query embedding cannot be empty")
        qnorm = math.sqrt(sum(x * x for x in query))
        if qnorm == 0:
            return []
        scored = []
        for entity in await self.get_all_entities(entity_type=entity_type, **_ctx(context)):
            emb = entity.embedding
            if emb is None or len(emb) != len(query):
                continue
            enorm = math.sqrt(sum(float(x) * float(x) for x in emb))
            if enorm == 0:
                continue
            cos = sum(a * float(b) for a, b in zip(query, emb)) / (qnorm * enorm)
            score = (cos + 1.0) / 2.0
            if score >= score_threshold:
                scored.append((entity, score))
        scored.sort(key=lambda pair: pair[1], reverse=True)
        return scored[:max_results]

    async def text_search(self, query_text, entity_type=None, max_results=10, score_threshold=0.0,
                          method="bm25", context=None):
        """(entity, score) pairs, best first, by bm25, jaccard, cosine or levenshtein over property strings.

        An empty query gives []; an unknown method raises ValueError.
        """
        if not query_text:
            return []
        entities = await self.get_all_entities(entity_type=entity_type, **_ctx(context))
        texts = [_text_scoring.entity_text(e) for e in entities]
        scores = _text_scoring.score_documents(query_text, texts, method)
        scored = [(e, s) for e, s in zip(entities, scores) if s >= score_threshold]
        scored.sort(key=lambda pair: pair[1], reverse=True)
        return scored[:max_results]

    async def execute_query(self, query, context=None):
        """Runs a GraphQuery and returns a GraphResult (query.tenant_id, when set, overrides context)."""
        return await execute_graph_query(self, query, context)

    async def clear(self, context=None):
        """Removes everything (context None) or one tenant's data; subclasses implement it."""
        raise NotImplementedError("clear is not implemented by this store")


async def execute_graph_query(store, query, context):
    """The reference's query router over any store's methods, scores kept for vector search.

    ENTITY_LOOKUP, VECTOR_SEARCH, TRAVERSAL and PATH_FINDING run the store's
    method of that name; SUBGRAPH and CUSTOM give an empty result (they are
    run by application-level executors, not by stores).
    """
    from .tenant import TenantContext, TenantIsolationMode

    started = time.perf_counter()
    if getattr(query, "tenant_id", None):
        mode = getattr(context, "isolation_mode", None) or TenantIsolationMode.SHARED_SCHEMA
        context = TenantContext(tenant_id=query.tenant_id, isolation_mode=mode)
    kind = getattr(query.query_type, "value", query.query_type)
    entities, paths, scores = [], [], []
    if kind == QueryType.ENTITY_LOOKUP.value:
        if query.entity_id:
            entity = await store.get_entity(query.entity_id, **_ctx(context))
            entities = [entity] if entity is not None else []
    elif kind == QueryType.VECTOR_SEARCH.value:
        if query.embedding is not None and len(query.embedding):
            pairs = await store.vector_search(query.embedding, entity_type=query.entity_type,
                                              max_results=query.max_results,
                                              score_threshold=query.score_threshold, **_ctx(context))
            entities = [e for e, _ in pairs]
            scores = [s for _, s in pairs]
    elif kind == QueryType.TRAVERSAL.value:
        if query.entity_id:
            paths = await store.traverse(query.entity_id, relation_type=query.relation_type,
                                         max_depth=query.max_depth, max_results=query.max_results,
                                         **_ctx(context))
            seen = {}
            for path in paths:
                for node in path.nodes:
                    seen.setdefault(node.id, node)
            entities = list(seen.values())
    elif kind == QueryType.PATH_FINDING.value:
        if query.source_entity_id and query.target_entity_id:
            paths = await store.find_paths(query.source_entity_id, query.target_entity_id,
                                           max_depth=query.max_depth, max_paths=query.max_results,
                                           **_ctx(context))
    total = len(entities)
    limit = query.max_results
    return GraphResult(query=query, entities=entities[:limit], relations=[], paths=paths[:limit],
                       scores=scores[:limit], total_count=total,
                       execution_time_ms=(time.perf_counter() - started) * 1000.0)
