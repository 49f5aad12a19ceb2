"""How ``make pytest`` spreads the suite over pytest-xdist workers: a test file at a time, except the folders
whose tests share one expensive package-scoped fixture, which go to one worker whole.

``--dist loadgroup`` with ``xdist_group`` marks would say the same, but pytest-xdist 3.8.0 groups by rewriting
``item._nodeid``, which pytest 9 no longer reads, so the marks are ignored (docs/configuration.md). A scheduler
that names the scope from the node id needs no such trick.
"""

from __future__ import annotations

from xdist.scheduler import LoadFileScheduling

# Folders whose tests share a package-scoped deployment: tests/multiprocess starts 2 API processes, a worker and
# haproxy once for all its files (tens of seconds); split over two workers it would start twice.
WHOLE_FOLDERS = ("tests/multiprocess/",)


def scope_of(nodeid: str) -> str:
    """The unit one worker runs: the folder for ``WHOLE_FOLDERS``, else the test file."""
    path = nodeid.split("::", 1)[0]
    for folder in WHOLE_FOLDERS:
        if path.startswith(folder):
            return folder
    return path


class FileOrFolderScheduling(LoadFileScheduling):
    def _split_scope(self, nodeid: str) -> str:
        return scope_of(nodeid)
