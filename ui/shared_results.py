"""Results shared by every session of a server process, made once per key.

Why not ``st.cache_resource``: on every call it works out its key by inspecting the cached
function's signature and hashing each argument with Streamlit's own hasher, about 0.3 ms a
call. A page draws six to ten shared results per run, so that was a sixth of a warm rerun
(py-spy, ``bench/``), spent finding results already made. Here a hit is one dict lookup.

What it keeps from ``st.cache_resource``: one copy per process, never pickled or copied (do
not change a result), a bound on the number kept (the least recently used goes first), and
one maker per key at a time: viewers who ask for the same result together wait for the one
making it instead of each making it again. A maker that raises stores nothing.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any


class SharedResults:
    """At most ``max_entries`` results by key: :meth:`get` makes one only when it is not held."""

    def __init__(self, max_entries: int):
        if max_entries < 1:
            raise ValueError("max_entries must be 1 or more")
        self.max_entries = max_entries
        self._items: OrderedDict = OrderedDict()
        self._lock = threading.Lock()  # guards _items and _making
        self._making: dict[Hashable, threading.Lock] = {}

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, key: Hashable) -> bool:
        return key in self._items

    def get(self, key: Hashable, make: Callable[[], Any]) -> Any:
        """The result held for ``key``, or ``make()``'s, kept for the next caller."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
            making = self._making.setdefault(key, threading.Lock())
        with making:  # one maker per key; the others wait here, then find its result
            with self._lock:
                if key in self._items:
                    self._items.move_to_end(key)
                    return self._items[key]
            try:
                value = make()
            except BaseException:
                with self._lock:
                    self._making.pop(key, None)
                raise
            with self._lock:
                self._items[key] = value
                self._making.pop(key, None)
                while len(self._items) > self.max_entries:
                    self._items.popitem(last=False)
            return value
