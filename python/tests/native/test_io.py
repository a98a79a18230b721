"""export / import_file / migrate_to with progress callbacks."""
import pytest

import graphstore as gs


def fill(store, n=50):
    store.add_entities_bulk([gs.Entity(f"e{i:03}", "T", {"i": i}, embedding=[float(i), 1.0]) for i in range(n)])
    store.add_relations_bulk([gs.Relation(f"r{i:03}", "next", f"e{i:03}", f"e{i+1:03}") for i in range(n - 1)])
    store.add_entity(gs.Entity("t1", "T"), tenant="acme")


@pytest.mark.parametrize("name", ["dump.jsonl", "dump.json.gz", "dump.csv"])
def test_export_import_round_trip(store, tmp_path, name):
    fill(store)
    calls = []
    report = store.export(tmp_path / name, progress=lambda phase, done, total: calls.append((phase, done, total)))
    assert report.entities == 51 and report.relations == 49
    assert report.tenants["acme"] == (1, 0)
    assert calls and calls[-1][1] >= 1
    with gs.open_backend("inmemory") as target:
        imported = target.import_file(tmp_path / name, progress=lambda *a: None)
        assert imported.entities_added == 51 and imported.relations_added == 49
        assert target.get_entity("e007").properties == {"i": 7}
        assert target.get_entity("t1", tenant="acme") is not None
        again = target.import_file(tmp_path / name, on_conflict="skip")
        assert again.entity_duplicates == 51


def test_export_one_tenant(store, tmp_path):
    fill(store)
    report = store.export(str(tmp_path / "acme.jsonl"), tenant="acme")
    assert report.entities == 1 and report.relations == 0


def test_import_errors(store, tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "entity_type": "T"}\nnot json\n')
    with pytest.raises(gs.InvalidArgumentError, match="bad.jsonl:2"):
        store.import_file(bad)
    report = store.import_file(bad, on_error="skip")
    assert report.rejected == 1 and report.entities_added == 1


def test_progress_false_stops_and_exception_propagates(store, tmp_path):
    fill(store, 20)
    with pytest.raises(gs.UnavailableError):
        store.export(tmp_path / "x.jsonl", progress=lambda *a: False)

    def boom(*a):
        raise KeyError("from progress")

    with pytest.raises(KeyError, match="from progress"):
        store.export(tmp_path / "y.jsonl", progress=boom)


def test_migrate_to_with_verify_and_progress(store, tmp_path):
    fill(store, 200)
    seen = []
    with gs.open_backend("sqlite", {"path": str(tmp_path / "t.db")}) as target:
        report = store.migrate_to(target, verify=True, batch_size=64,
                                  progress=lambda phase, done, total: seen.append((phase, done, total)))
        assert report.verified and report.mismatches == []
        assert report.entities == 201 and report.relations == 199
        assert {p for p, _, _ in seen} >= {"entities", "relations"}
        assert target.get_entity("e150").embedding.tolist() == [150.0, 1.0]
        assert target.get_entity("t1", tenant="acme") is not None
        with pytest.raises(gs.AlreadyExistsError):
            store.migrate_to(target)


def test_migrate_into_itself_refused(store):
    with pytest.raises(gs.InvalidArgumentError):
        store.migrate_to(store)
