"""vector_index: hnsw from Python: the exact flag, recall against it, filters, state."""
import numpy as np
import pytest

import graphstore as gs


@pytest.fixture(params=["inmemory", "sqlite"])
def hnsw_store(request, tmp_path):
    options = {"vector_index": "hnsw"}
    if request.param == "sqlite":
        options["path"] = str(tmp_path / "graph.db")
    with gs.open_backend(request.param, options) as s:
        yield s


def seeded(n, dim, seed):
    rng = np.random.default_rng(seed)
    centres = np.random.default_rng(7).standard_normal((30, dim))
    x = centres[rng.integers(0, 30, n)] + 0.3 * rng.standard_normal((n, dim))
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


def test_exact_flag_and_recall(hnsw_store):
    vectors = seeded(3000, 16, 1)
    hnsw_store.add_entities_bulk([gs.Entity(f"e{i}", f"t{i % 10}", {}, embedding=v) for i, v in enumerate(vectors)])
    overlap = 0
    for q in seeded(30, 16, 2):
        exact = hnsw_store.vector_search(q, k=10, exact=True)
        approx = hnsw_store.vector_search(q, k=10)
        assert len(approx) == 10
        scores = {h.entity.id: h.score for h in exact}
        overlap += len(scores.keys() & {h.entity.id for h in approx})
        for h in approx:
            if h.entity.id in scores:
                assert h.score == scores[h.entity.id]
        filtered = hnsw_store.vector_search(q, k=20, entity_type="t3")
        assert len(filtered) == 20 and {h.entity.entity_type for h in filtered} == {"t3"}
    # Measured 0.99+ on this seeded set.
    assert overlap / 300 >= 0.9
    with pytest.raises(TypeError):
        hnsw_store.vector_search(vectors[0], 10, None, None, None, True)  # exact is keyword-only


def test_bad_option_names_the_key():
    with pytest.raises(gs.InvalidArgumentError, match="vector_index"):
        gs.open_backend("inmemory", {"vector_index": "ivf"})
