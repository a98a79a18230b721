"""transaction(): an async context manager, all or nothing, scoped to the task that opened it."""
import asyncio

import pytest

from helpers import ent, rel


async def test_commit_applies_every_write(store):
    async with store.transaction():
        await store.add_entity(ent("a"))
        await store.add_entity(ent("b"))
        await store.add_relation(rel("r", "a", "b"))
    assert await store.get_relation("r") is not None


async def test_exception_rolls_back(store):
    await store.add_entity(ent("kept"))
    with pytest.raises(KeyError):
        async with store.transaction():
            await store.add_entity(ent("a"))
            await store.delete_entity("kept")
            raise KeyError("boom")
    assert await store.get_entity("a") is None
    assert await store.get_entity("kept") is not None


async def test_failing_write_fails_the_whole_transaction(store):
    await store.add_entity(ent("dup"))
    with pytest.raises(ValueError, match="already exists"):
        async with store.transaction():
            await store.add_entity(ent("new"))
            await store.add_entity(ent("dup"))
    assert await store.get_entity("new") is None


async def test_other_tasks_write_outside_the_transaction(store):
    entered, release = asyncio.Event(), asyncio.Event()

    async def in_tx():
        with pytest.raises(RuntimeError):
            async with store.transaction():
                await store.add_entity(ent("tx"))
                entered.set()
                await release.wait()
                raise RuntimeError("roll back")

    async def outside():
        await entered.wait()
        await store.add_entity(ent("free"))
        release.set()

    await asyncio.gather(in_tx(), outside())
    assert await store.get_entity("free") is not None
    assert await store.get_entity("tx") is None


async def test_nested_transaction_joins_the_outer_one(store):
    with pytest.raises(RuntimeError):
        async with store.transaction():
            async with store.transaction():
                await store.add_entity(ent("inner"))
            await store.add_entity(ent("outer"))
            raise RuntimeError("roll back both")
    assert await store.get_entity("inner") is None and await store.get_entity("outer") is None


async def test_updates_and_deletes_inside_a_transaction(store, kind):
    from graphstore.aiecs import TenantContext

    await store.add_entity(ent("a", v=1))
    await store.add_entity(ent("b"))
    await store.add_relation(rel("r", "a", "b"))
    async with store.transaction():
        await store.update_entity(ent("a", v=2))
        await store.delete_relation("r")
        if kind != "postgres":  # PostgreSQL's delete of a missing id raises, inside or outside
            await store.delete_entity("never-there")
        await store.add_entity(ent("t"), context=TenantContext("t1"))
    assert (await store.get_entity("a")).properties == {"v": 2}
    assert await store.get_relation("r") is None
    assert await store.get_entity("t", context=TenantContext("t1")) is not None
