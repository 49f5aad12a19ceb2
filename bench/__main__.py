"""Dispatch `python -m bench NAME [args]` to bench.NAME.main(args); `python -m bench all` runs every benchmark."""

import importlib
import pkgutil
import sys
from pathlib import Path

# Benchmarks that need arguments (a data folder) or run for minutes (the soak) are left out of `all`.
NEEDS_ARGUMENTS = {"recognition", "soak", "web_ab"}


def main() -> None:
    if len(sys.argv) < 2:
        raise SystemExit("usage: python -m bench NAME [args] | all")
    name = sys.argv[1]
    if name == "all":
        names = sorted(
            m.name
            for m in pkgutil.iter_modules([str(Path(__file__).parent)])
            if not m.name.startswith("_") and m.name not in NEEDS_ARGUMENTS and m.name != "common"
        )
        for each in names:
            importlib.import_module(f"bench.{each}").main([])
        return
    module = importlib.import_module(f"bench.{name}")
    module.main(sys.argv[2:])


if __name__ == "__main__":
    main()
