"""Settings from the environment (``PARKCLOUD_*``), with embedded defaults so one command runs everything."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path


def _env(name: str, default: str = "") -> str:
    return os.environ.get(f"PARKCLOUD_{name}", default)


def _env_bool(name: str, default: bool) -> bool:
    raw = _env(name)
    return default if raw == "" else raw.strip().lower() in {"1", "true", "yes", "on"}


def _secret_key(var_dir: Path) -> str:
    """The signing key: from the environment, or generated once and kept in ./var/ for development."""
    if key := _env("SECRET_KEY"):
        return key
    path = var_dir / ".secret_key"
    if path.exists():
        return path.read_text().strip()
    var_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    path.write_text(key)
    path.chmod(0o600)
    return key


@dataclass(frozen=True)
class Settings:
    var_dir: Path
    database_url: str
    redis_url: str
    secret_key: str
    debug: bool = False
    introspection: bool = True
    token_ttl_s: int = 12 * 3600
    login_max_failures: int = 5
    login_lock_s: int = 15 * 60
    max_query_depth: int = 10
    max_aliases: int = 30
    max_tokens: int = 2000
    allowed_origins: tuple[str, ...] = field(default_factory=tuple)
    web_dist: Path = Path("clients/web/dist")
    # Seconds between device health polls in this process; 0 = off (tests, or when the workers poll).
    device_poll_s: float = 0.0
    # WeChat mini-program (driver login). Empty: driver login is off. `make run` points it at the local fake.
    wechat_api_url: str = "https://api.weixin.qq.com"
    wechat_appid: str = ""
    wechat_secret: str = ""
    # Channel credentials (JSON, keys as in parking.payments.config) and the address channels notify.
    payment_credentials: Path | None = None
    public_url: str = "http://127.0.0.1:8000"
    # Anonymous payment creation (paymentCreate without a login): at most this many per client address and
    # window; 0 turns the limit off.
    payment_create_limit: int = 20
    payment_create_window_s: int = 60
    # Cloud plate recognition: enqueue a job for every lane event with an image (needs the `vision` extra).
    recognition: bool = False

    @classmethod
    def from_env(cls) -> Settings:
        var_dir = Path(_env("VAR_DIR", "var")).resolve()
        database_url = _env("DATABASE_URL") or f"sqlite+aiosqlite:///{var_dir / 'parkcloud.sqlite3'}"
        origins = tuple(o for o in _env("ALLOWED_ORIGINS").split(",") if o)
        return cls(
            var_dir=var_dir,
            database_url=normalize_database_url(database_url),
            redis_url=_env("REDIS_URL"),
            secret_key=_secret_key(var_dir),
            debug=_env_bool("DEBUG", False),
            introspection=_env_bool("INTROSPECTION", True),
            token_ttl_s=int(_env("TOKEN_TTL_S", str(12 * 3600))),
            allowed_origins=origins,
            web_dist=Path(_env("WEB_DIST", "clients/web/dist")),
            device_poll_s=float(_env("DEVICE_POLL_S", "30")),
            wechat_api_url=_env("WECHAT_API_URL", "https://api.weixin.qq.com"),
            wechat_appid=_env("WECHAT_APPID"),
            wechat_secret=_env("WECHAT_SECRET"),
            payment_credentials=Path(p) if (p := _env("PAYMENT_CREDENTIALS")) else None,
            public_url=_env("PUBLIC_URL", "http://127.0.0.1:8000"),
            recognition=_env_bool("RECOGNITION", False),
            payment_create_limit=int(_env("PAYMENT_CREATE_LIMIT", "20")),
            payment_create_window_s=int(_env("PAYMENT_CREATE_WINDOW_S", "60")),
        )


def normalize_database_url(url: str) -> str:
    """Accept plain ``postgresql://`` and ``sqlite://`` URLs and pick the async drivers."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    if url.startswith("postgresql://"):
        return "postgresql+asyncpg://" + url.removeprefix("postgresql://")
    if url.startswith("sqlite:///"):
        return "sqlite+aiosqlite:///" + url.removeprefix("sqlite:///")
    return url
