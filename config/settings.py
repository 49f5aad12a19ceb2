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


DEVELOPMENT = "development"
# Keys that are published (docs, examples, our own tests) or typed by hand: never a production secret.
KNOWN_KEYS = frozenset({"test-secret-key", "secret", "changeme", "change-me", "parkcloud", "development", "dev"})
MIN_SECRET_BYTES = 32
MAKE_KEY = "make one with: python -c 'import secrets; print(secrets.token_urlsafe(32))'"


class InsecureSettings(RuntimeError):
    """Refusal to start outside development with settings an attacker could guess."""


def secret_key_problem(key: str) -> str | None:
    """Why ``key`` cannot sign production tokens, or None. Under 32 random bytes is too short: the key's
    length counts in the bytes its alphabet can carry (hex 4 bits a character, base64 6, other text 8), and a
    key of few distinct characters is no random key."""
    if not key:
        return "PARKCLOUD_SECRET_KEY is not set"
    if key.strip().lower() in KNOWN_KEYS or key.lower().startswith(("test", "example", "changeme")):
        return "PARKCLOUD_SECRET_KEY is a published default"
    alphabet = set(key)
    if alphabet <= set("0123456789abcdefABCDEF"):
        bits = 4 * len(key)
    elif alphabet <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_"):
        bits = 6 * len(key.rstrip("="))
    else:
        bits = 8 * len(key.encode())
    if bits < 8 * MIN_SECRET_BYTES or len(alphabet) < 16:
        return f"PARKCLOUD_SECRET_KEY is shorter than {MIN_SECRET_BYTES} random bytes: {MAKE_KEY}"
    return None


def protect_var_dir(var_dir: Path) -> None:
    """Files this process creates are 0600 and folders 0700 from now on, and ``var_dir`` is tightened so."""
    os.umask(0o077)
    var_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    var_dir.chmod(0o700)
    for root, dirs, files in os.walk(var_dir):
        for name in dirs:
            Path(root, name).chmod(0o700)
        for name in files:
            path = Path(root, name)
            if not path.is_symlink():
                path.chmod(0o600)


def _secret_key(var_dir: Path, environment: str) -> str:
    """The signing key: from the environment; in development only, generated once and kept in ./var/."""
    if key := _env("SECRET_KEY"):
        return key
    if environment != DEVELOPMENT:
        return ""  # refused at start-up (Settings.check): a production key is never made up on the spot
    path = var_dir / ".secret_key"
    if path.exists():
        return path.read_text().strip()
    var_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    key = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as file:
        file.write(key)
    return key


@dataclass(frozen=True)
class Settings:
    var_dir: Path
    database_url: str
    redis_url: str
    secret_key: str
    # "development" (the default: `make run`, tests) or anything else, e.g. "production", which refuses to
    # start with an unsafe secret and turns introspection off unless asked for.
    environment: str = DEVELOPMENT
    debug: bool = False
    introspection: bool = True
    token_ttl_s: int = 12 * 3600
    login_max_failures: int = 5
    login_lock_s: int = 15 * 60
    login_max_address_failures: int = 30
    max_query_depth: int = 10
    max_aliases: int = 30
    max_tokens: int = 2000
    # Bodies of /graphql over this are refused with 413 unread; every HTTP request is cut after request_timeout_s.
    max_body_bytes: int = 1024 * 1024
    request_timeout_s: float = 60.0
    # /readyz waits at most this long for the database's SELECT 1 and for Redis' PING (api/health.py).
    ready_timeout_s: float = 2.0
    # /readyz answers 503 past either outbox backlog limit (pending rows; seconds the oldest has waited); 0 = off.
    ready_outbox_max_pending: int = 0
    ready_outbox_max_age_s: float = 0.0
    # /metrics: a bearer token that opens it to any address (empty: loopback only), see docs/metrics.md.
    metrics_token: str = field(default="", repr=False)
    allowed_origins: tuple[str, ...] = field(default_factory=tuple)
    web_dist: Path = Path("clients/web/dist")
    # The drivers' mini-program built as H5 (clients/miniprogram), served under /m/.
    miniprogram_dist: Path = Path("clients/miniprogram/dist/build/h5")
    # The H5 mini-program's stand-in for the WeChat client (api/miniprogram.py): on only with the local fakes.
    dev_fakes: bool = False
    # Seconds between device health polls in this process; 0 = off (tests, or when the workers poll).
    device_poll_s: float = 0.0
    # Seconds between the worker's sends of the coupon expiry job (workers/merchants.py); 0 = off.
    coupon_expiry_s: float = 0.0
    # Seconds between the worker's sends of the retention purge (workers/retention.py); 0 = off. Rows per batch.
    purge_interval_s: float = 0.0
    purge_batch: int = 500
    # Seconds between the worker's sends of the report rollup refresh (workers/reports.py); 0 = off.
    rollup_interval_s: float = 0.0
    # Seconds between the worker's sends of the month partitions job (workers/partitions.py); 0 = off.
    partition_interval_s: float = 0.0
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
    # Where lane images live (config/images.py): "" keeps them under var_dir/images, for one process;
    # "s3://bucket/prefix" puts them in an S3-compatible bucket that every process shares. Empty S3 values are
    # left to the AWS_* variables and instance credentials.
    image_store: str = ""
    s3_endpoint_url: str = ""
    s3_region: str = ""
    s3_access_key_id: str = ""
    s3_secret_access_key: str = ""
    s3_timeout_s: float = 5.0
    # The camera path's put of a picture (live pushes and replays): this bound, no retry; on failure the picture
    # waits in var_dir/image_spool and the worker uploads it every spool_upload_interval_s (0: off).
    s3_camera_timeout_s: float = 1.0
    spool_upload_interval_s: float = 0.0

    @classmethod
    def from_env(cls) -> Settings:
        var_dir = Path(_env("VAR_DIR", "var")).resolve()
        environment = _env("ENV", DEVELOPMENT).strip().lower() or DEVELOPMENT
        production = environment != DEVELOPMENT
        database_url = _env("DATABASE_URL") or f"sqlite+aiosqlite:///{var_dir / 'parkcloud.sqlite3'}"
        origins = tuple(o for o in _env("ALLOWED_ORIGINS").split(",") if o)
        return cls(
            var_dir=var_dir,
            database_url=normalize_database_url(database_url),
            redis_url=_env("REDIS_URL"),
            secret_key=_secret_key(var_dir, environment),
            environment=environment,
            debug=_env_bool("DEBUG", False),
            introspection=_env_bool("INTROSPECTION", not production),
            max_body_bytes=int(_env("MAX_BODY_BYTES", str(1024 * 1024))),
            request_timeout_s=float(_env("REQUEST_TIMEOUT_S", "60")),
            ready_timeout_s=float(_env("READY_TIMEOUT_S", "2")),
            ready_outbox_max_pending=int(_env("READY_OUTBOX_MAX_PENDING", "0")),
            ready_outbox_max_age_s=float(_env("READY_OUTBOX_MAX_AGE_S", "0")),
            metrics_token=_env("METRICS_TOKEN"),
            token_ttl_s=int(_env("TOKEN_TTL_S", str(12 * 3600))),
            allowed_origins=origins,
            web_dist=Path(_env("WEB_DIST", "clients/web/dist")),
            miniprogram_dist=Path(_env("MINIPROGRAM_DIST", "clients/miniprogram/dist/build/h5")),
            dev_fakes=_env_bool("DEV_FAKES", False),
            device_poll_s=float(_env("DEVICE_POLL_S", "30")),
            coupon_expiry_s=float(_env("COUPON_EXPIRY_S", "300")),
            purge_interval_s=float(_env("PURGE_INTERVAL_S", "86400")),
            purge_batch=int(_env("PURGE_BATCH", "500")),
            rollup_interval_s=float(_env("ROLLUP_INTERVAL_S", "60")),
            partition_interval_s=float(_env("PARTITION_INTERVAL_S", "86400")),
            wechat_api_url=_env("WECHAT_API_URL", "https://api.weixin.qq.com"),
            wechat_appid=_env("WECHAT_APPID"),
            wechat_secret=_env("WECHAT_SECRET"),
            payment_credentials=Path(p) if (p := _env("PAYMENT_CREDENTIALS")) else None,
            public_url=_env("PUBLIC_URL", "http://127.0.0.1:8000"),
            recognition=_env_bool("RECOGNITION", False),
            payment_create_limit=int(_env("PAYMENT_CREATE_LIMIT", "20")),
            payment_create_window_s=int(_env("PAYMENT_CREATE_WINDOW_S", "60")),
            image_store=_env("IMAGE_STORE").strip(),
            s3_endpoint_url=_env("S3_ENDPOINT_URL"),
            s3_region=_env("S3_REGION"),
            s3_access_key_id=_env("S3_ACCESS_KEY_ID"),
            s3_secret_access_key=_env("S3_SECRET_ACCESS_KEY"),
            s3_timeout_s=float(_env("S3_TIMEOUT_S", "5")),
            s3_camera_timeout_s=float(_env("S3_CAMERA_TIMEOUT_S", "1")),
            spool_upload_interval_s=float(_env("SPOOL_UPLOAD_INTERVAL_S", "60")),
        )


def check(settings: Settings) -> None:
    """Refuse to run outside development with settings an attacker could guess."""
    if settings.environment == DEVELOPMENT:
        return
    problems = [p for p in (secret_key_problem(settings.secret_key),) if p]
    if settings.debug:
        problems.append("PARKCLOUD_DEBUG is on")
    if settings.dev_fakes:
        problems.append("PARKCLOUD_DEV_FAKES is on")
    if problems:
        raise InsecureSettings(f"refusing to start in {settings.environment!r}: " + "; ".join(problems))


def normalize_database_url(url: str) -> str:
    """Accept plain ``postgresql://`` and ``sqlite://`` URLs and pick the async drivers."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    if url.startswith("postgresql://"):
        return "postgresql+asyncpg://" + url.removeprefix("postgresql://")
    if url.startswith("sqlite:///"):
        return "sqlite+aiosqlite:///" + url.removeprefix("sqlite:///")
    return url
