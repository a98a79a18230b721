"""Small graph builders shared by the drop-in store tests."""
from graphstore.aiecs import Entity, Relation


def ent(i, entity_type="Person", **props):
    return Entity(id=i, entity_type=entity_type, properties=props)


def rel(i, s, t, relation_type="KNOWS", weight=1.0, **props):
    return Relation(id=i, relation_type=relation_type, source_id=s, target_id=t, weight=weight,
                    properties=props)


async def chain(store, ids, context=None, relation_type="KNOWS"):
    """Adds entities ids[0..] and relations ids[i] -> ids[i+1] named r_<a>_<b>."""
    kw = {} if context is None else {"context": context}
    for i in ids:
        await store.add_entity(ent(i), **kw)
    for a, b in zip(ids, ids[1:]):
        await store.add_relation(rel(f"r_{a}_{b}", a, b, relation_type), **kw)
