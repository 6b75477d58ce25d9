"""The process-wide store of shared results (ui.shared_results): a hit is the very object
made, the least recently used goes first, one maker per key, and a maker that raises stores
nothing."""

import threading
import time

import pytest

from ui.shared_results import SharedResults


def test_a_result_is_made_once_and_the_same_object_comes_back():
    store, made = SharedResults(4), []

    def make():
        made.append(1)
        return {"x": 1}

    first = store.get(("a", 1), make)
    assert store.get(("a", 1), make) is first
    assert made == [1]
    assert ("a", 1) in store and len(store) == 1


def test_the_least_recently_used_result_goes_first():
    store = SharedResults(2)
    store.get("a", lambda: 1)
    store.get("b", lambda: 2)
    store.get("a", lambda: 99)  # a is used again: b is now the oldest
    store.get("c", lambda: 3)
    assert "a" in store and "c" in store and "b" not in store
    assert store.get("a", lambda: 99) == 1


def test_viewers_asking_together_wait_for_one_maker():
    store, calls = SharedResults(4), []
    started = threading.Event()

    def make():
        calls.append(1)
        started.set()
        time.sleep(0.2)
        return object()

    got = []
    threads = [threading.Thread(target=lambda: got.append(store.get("k", make))) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(calls) == 1
    assert len(got) == 8 and all(g is got[0] for g in got)


def test_a_maker_that_raises_stores_nothing_and_the_next_caller_makes_it_again():
    store = SharedResults(4)

    def broken():
        raise RuntimeError("the database is down")

    with pytest.raises(RuntimeError, match="down"):
        store.get("k", broken)
    assert "k" not in store
    assert store.get("k", lambda: 5) == 5


def test_a_store_keeps_at_least_one_result():
    with pytest.raises(ValueError, match="1 or more"):
        SharedResults(0)
