from pathlib import Path

from schema.root import print_sdl

COMMITTED = Path(__file__).resolve().parent.parent / "schema" / "schema.graphql"


def test_committed_sdl_matches_the_code() -> None:
    # When this fails, run `make schema` and commit schema/schema.graphql with the change.
    assert COMMITTED.read_text() == print_sdl()
