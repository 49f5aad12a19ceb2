"""The deployment files (deploy/) name what the code has: real `parkcloud` commands, settings that
config/settings.py reads, both API processes behind nginx. They are read as files; nothing is deployed."""

from __future__ import annotations

import ast
import re
import shlex
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from api.cli import build_parser
from config.settings import secret_key_problem

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
UNITS = sorted((DEPLOY / "systemd").glob("*.service"))
SETTING_LINE = re.compile(r"^#?\s*(PARKCLOUD_[A-Z0-9_]+)=(.*)$")


def settings_read() -> set[str]:
    """Every PARKCLOUD_* name config/settings.py reads through its _env helpers."""
    tree = ast.parse((ROOT / "config" / "settings.py").read_text())
    names = {
        f"PARKCLOUD_{node.args[0].value}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in {"_env", "_env_bool"}
        and node.args
        and isinstance(node.args[0], ast.Constant)
        and isinstance(node.args[0].value, str)
    }
    assert "PARKCLOUD_SECRET_KEY" in names  # the reader found the helpers
    return names


def example_settings() -> dict[str, str]:
    """The PARKCLOUD_* lines of the env example, commented-out ones included."""
    found: dict[str, str] = {}
    for line in (DEPLOY / "parkcloud.env.example").read_text().splitlines():
        if match := SETTING_LINE.match(line):
            found.setdefault(match.group(1), match.group(2))
    return found


def assert_parkcloud_command(argv: list[str], where: str) -> None:
    """``argv`` runs ``parkcloud`` with arguments its own parser accepts."""
    assert Path(argv[0]).name == "parkcloud", f"{where}: {argv}"
    try:
        build_parser().parse_args(argv[1:])
    except SystemExit as err:  # argparse's answer to an unknown command or option
        raise AssertionError(f"{where}: `{shlex.join(argv)}` is not a parkcloud command") from err


def test_env_example_names_only_real_settings() -> None:
    names = example_settings()
    assert set(names) - settings_read() == set()
    needed = {
        "PARKCLOUD_ENV",
        "PARKCLOUD_SECRET_KEY",
        "PARKCLOUD_DATABASE_URL",
        "PARKCLOUD_REDIS_URL",
        "PARKCLOUD_VAR_DIR",
        "PARKCLOUD_PUBLIC_URL",
        "PARKCLOUD_IMAGE_STORE",
        "PARKCLOUD_S3_ENDPOINT_URL",
        "PARKCLOUD_S3_ACCESS_KEY_ID",
        "PARKCLOUD_S3_SECRET_ACCESS_KEY",
        "PARKCLOUD_METRICS_TOKEN",
    }
    assert needed - set(names) == set()
    # Copied unchanged, the example must not start in production: its key is a placeholder the API refuses.
    assert names["PARKCLOUD_ENV"] == "production"
    assert secret_key_problem(names["PARKCLOUD_SECRET_KEY"]) is not None


@pytest.mark.parametrize("unit", UNITS, ids=lambda p: p.name)
def test_systemd_unit(unit: Path) -> None:
    lines = [line.strip() for line in unit.read_text().splitlines()]
    settings = dict(line.split("=", 1) for line in lines if "=" in line and not line.startswith("#"))
    assert_parkcloud_command(shlex.split(settings["ExecStart"].replace("%i", "8001")), unit.name)
    assert settings["EnvironmentFile"] == "/etc/parkcloud/parkcloud.env"
    assert "Restart" in settings
    assert settings["NoNewPrivileges"] == "yes"
    assert settings["ProtectSystem"] == "strict"
    assert settings["PrivateTmp"] == "yes"
    # The var dir of the env example is the one path the unit may write.
    assert settings["ReadWritePaths"] == example_settings()["PARKCLOUD_VAR_DIR"]


def test_systemd_units_present() -> None:
    assert [u.name for u in UNITS] == [
        "parkcloud-api@.service",
        "parkcloud-migrate.service",
        "parkcloud-worker.service",
    ]


def compose() -> dict[str, Any]:
    yaml = pytest.importorskip("yaml")
    loaded: dict[str, Any] = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    return loaded


def test_compose_services_and_commands() -> None:
    services = compose()["services"]
    assert set(services) == {"postgres", "redis", "migrate", "api1", "api2", "worker", "nginx"}
    assert services["postgres"]["image"] == "postgres:15"
    assert services["redis"]["image"] == "redis:7"
    for name in ("migrate", "api1", "api2", "worker"):
        assert_parkcloud_command(services[name]["command"], f"compose service {name}")
        assert services[name]["env_file"] == "parkcloud.env"
    assert services["migrate"]["command"][1] == "migrate"
    assert services["worker"]["command"][1] == "worker"
    for name in ("api1", "api2", "worker"):
        assert services[name]["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
    for name in ("api1", "api2"):
        assert services[name]["command"][1] == "serve"
        assert "/readyz" in " ".join(services[name]["healthcheck"]["test"])
        assert services["nginx"]["depends_on"][name] == {"condition": "service_healthy"}
    # uvicorn trusts X-Forwarded-For from nginx's address only.
    nginx_ip = services["nginx"]["networks"]["parkcloud"]["ipv4_address"]
    assert services["api1"]["environment"]["FORWARDED_ALLOW_IPS"] == nginx_ip


def test_nginx_balances_both_apis_and_upgrades_websockets() -> None:
    conf = (DEPLOY / "nginx.conf").read_text()
    assert re.search(r"^\s*server api1:8000\b", conf, re.MULTILINE)
    assert re.search(r"^\s*server api2:8000\b", conf, re.MULTILINE)
    graphql = conf[conf.index("location = /graphql") :]
    graphql = graphql[: graphql.index("}")]
    assert "proxy_set_header Upgrade $http_upgrade;" in graphql
    assert "proxy_set_header Connection $connection_upgrade;" in graphql
    # A location that sets headers inherits none of the server's: the client's address must be set there too.
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in graphql
    assert "proxy_http_version 1.1;" in conf


def test_nginx_accepts_its_config(tmp_path: Path) -> None:
    """Debian's nginx parses the file (the API hosts put on loopback: `nginx -t` resolves upstream names)."""
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists():
        pytest.skip("nginx is not installed")
    conf = (DEPLOY / "nginx.conf").read_text()
    conf = re.sub(r"api[12]:8000", "127.0.0.1:9", conf).replace("listen 80;", "listen 127.0.0.1:9;")
    (tmp_path / "nginx.conf").write_text(conf)
    result = subprocess.run(
        [nginx, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"), "-g", f"pid {tmp_path}/nginx.pid;"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
