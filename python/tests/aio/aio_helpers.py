"""Record builders shared by the graphstore.aio tests."""
import graphstore as gs


def entity(i, entity_type="Person", **properties):
    """An entity with id `i` (str()ed) and the given properties."""
    return gs.Entity(id=str(i), entity_type=entity_type, properties=properties or {"n": str(i)})


def relation(i, source, target, relation_type="KNOWS"):
    """A relation `i` from `source` to `target`."""
    return gs.Relation(id=str(i), relation_type=relation_type, source_id=str(source), target_id=str(target))
