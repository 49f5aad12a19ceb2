"""Where the mini-program's builds are (clients/miniprogram, `npm run build:h5` / `build:mp-weixin`, run by
`make clients` / `make mp-test`): missing builds skip locally and fail under CI=true."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import need_service

ROOT = Path(__file__).resolve().parents[2]
PROJECT = ROOT / "clients" / "miniprogram"
H5_DIST = PROJECT / "dist" / "build" / "h5"
MP_DIST = PROJECT / "dist" / "build" / "mp-weixin"


def need_h5() -> Path:
    if not (H5_DIST / "index.html").exists():
        need_service("mini-program H5 build", "run `make clients` (npm run build:h5 in clients/miniprogram)")
    return H5_DIST


def need_mp() -> Path:
    if not (MP_DIST / "app.json").exists():
        need_service("mini-program mp-weixin build", "run `make mp-test` (npm run build:mp-weixin)")
    return MP_DIST
