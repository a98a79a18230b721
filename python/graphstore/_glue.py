"""The few Store methods written in Python: lazy scans and the batch context
manager. Each is a thin loop over one native call; the records are built in
C++."""
import contextlib

from graphstore._native import Batch

# Records per scan page: large enough that the per-call cost vanishes,
# small enough that a scan holds little memory and stops early cheaply.
SCAN_PAGE = 1000


class ScanIterator:
    """A lazy scan: fetches one page at a time, in id order, as iteration
    needs it. `.pages` counts the pages fetched so far."""

    def __init__(self, fetch, type, after_id, offset, limit, tenant, page_size):
        self._fetch = fetch
        self._type = type
        self._after = after_id
        self._offset = offset
        self._left = limit
        self._tenant = tenant
        self._page_size = page_size
        self._page = []
        self._pos = 0
        self._done = limit == 0
        self.pages = 0

    def __iter__(self):
        return self

    def __next__(self):
        if self._pos >= len(self._page):
            if self._done:
                raise StopIteration
            self._next_page()
            if not self._page:
                raise StopIteration
        item = self._page[self._pos]
        self._pos += 1
        return item

    def _next_page(self):
        size = self._page_size if self._left is None else min(self._page_size, self._left)
        page, last = self._fetch(self._type, self._after, self._offset, size, self._tenant)
        self.pages += 1
        self._page, self._pos = page, 0
        self._offset = 0
        self._after = last
        if self._left is not None:
            self._left -= len(page)
        if len(page) < size or self._left == 0:
            self._done = True


def scan_entities(self, type=None, after_id=None, offset=0, limit=None, *, tenant=None,
                  page_size=SCAN_PAGE):
    """Entities in id order (of one type, or all), after the id after_id,
    skipping offset, at most limit: a lazy iterator fetching pages of
    page_size. Errors surface when the page that meets them is fetched."""
    return ScanIterator(self._scan_entities_page, type, after_id, offset, limit, tenant, page_size)


def scan_relations(self, type=None, after_id=None, offset=0, limit=None, *, tenant=None,
                   page_size=SCAN_PAGE):
    """Relations in id order, as scan_entities."""
    return ScanIterator(self._scan_relations_page, type, after_id, offset, limit, tenant, page_size)


@contextlib.contextmanager
def batch(self, *, tenant=None):
    """A Batch applied atomically when the block ends normally (the failing
    op's Error is raised, with .index naming it, and nothing is applied);
    discarded when the block raises."""
    b = Batch()
    yield b
    if len(b):
        self._apply(b, tenant=tenant)


def install(store_class):
    """Adds the Python-written methods to the native Store class."""
    store_class.scan_entities = scan_entities
    store_class.scan_relations = scan_relations
    store_class.batch = batch
