"""Dispatch `python -m bench NAME [args]` to bench.NAME.main(args)."""

import importlib
import sys


def main() -> None:
    module = importlib.import_module(f"bench.{sys.argv[1]}")
    module.main(sys.argv[2:])


if __name__ == "__main__":
    main()
