"""`parkcloud finance` run as a real command: expected failures are one line and exit 1, failed runs are stored."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
from sqlalchemy import func, select

from fakes.alipay import FakeAlipay
from fakes.wechatpay import FakeWeChatPay
from parking.common.database import Database
from parking.common.scope import Scope
from parking.payments.settlement_models import ReconciliationItem, ReconciliationRun, RunStatus
from tests.conftest import GraphQL
from tests.factories import build_world

ROOT = Path(__file__).resolve().parents[2]
CST = ZoneInfo("Asia/Shanghai")
RUNS = """
query R($from: Date!, $to: Date!) {
  reconciliations(dayFrom: $from, dayTo: $to, first: 10) {
    items { channel day status error billRows matched missingOurs }
  }
}
"""


@dataclass(frozen=True)
class Ran:
    code: int
    out: str
    err: str


def _env(db: Database, credentials: Path | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PARKCLOUD_")}
    env["PYTHONPATH"] = str(ROOT)
    env["PARKCLOUD_DATABASE_URL"] = db.engine.url.render_as_string(hide_password=False)
    env["PARKCLOUD_VAR_DIR"] = str(credentials.parent if credentials else ROOT / "var")
    if credentials is not None:
        env["PARKCLOUD_PAYMENT_CREDENTIALS"] = str(credentials)
    return env


async def finance(db: Database, credentials: Path | None, *args: str) -> Ran:
    """The installed entry point's code path (`python -m api.cli`), in its own process, as cron runs it."""
    done = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "api.cli", "finance", *args],
        cwd=ROOT,
        env=_env(db, credentials),
        capture_output=True,
        text=True,
        timeout=120,
    )
    return Ran(done.returncode, done.stdout, done.stderr)


def _credentials(tmp: Path, wechat: tuple[FakeWeChatPay, str], alipay: tuple[FakeAlipay, str] | None) -> Path:
    document = {"wechatpay": {**wechat[0].credentials().__dict__, "base_url": wechat[1]}}
    if alipay is not None:
        document["alipay"] = {**alipay[0].credentials().__dict__, "gateway_url": f"{alipay[1]}/gateway.do"}
    path = tmp / "credentials.json"
    path.write_text(json.dumps(document))
    return path


def _beijing_today() -> date:
    return datetime.now(UTC).astimezone(CST).date()


def _phantom(day: date) -> dict[str, object]:
    # A payment in WeChat's bill that we never credited: gives the day's run a line.
    return {
        "trade_time": datetime.combine(day, datetime.min.time(), tzinfo=CST).replace(hour=9).isoformat(),
        "appid": "wx", "mchid": "1900000109", "transaction_id": f"4200{day:%Y%m%d}", "out_trade_no": f"PX{day:%Y%m%d}",
        "openid": "o", "trade_type": "NATIVE", "trade_state": "SUCCESS", "bank_type": "OTHERS", "total_fen": 700,
        "refund_fen": 0, "refund_id": "", "out_refund_no": "", "description": "停车费",
    }  # fmt: skip


async def _runs(db: Database) -> dict[str, tuple[RunStatus, str, int]]:
    async with db.session(Scope.internal()) as s:
        rows = (await s.scalars(select(ReconciliationRun))).all()
        lines = await s.execute(select(ReconciliationItem.run_id, func.count()).group_by(ReconciliationItem.run_id))
        per_run: dict[int, int] = {int(run_id): int(n) for run_id, n in lines.all()}
    return {r.channel: (r.status, r.error, per_run.get(r.id, 0)) for r in rows}


def _one_line_failure(ran: Ran) -> str:
    assert ran.code == 1, ran
    assert "Traceback" not in ran.err
    [line] = [x for x in ran.err.splitlines() if x.startswith("parkcloud finance:")]
    return line


async def test_a_day_not_over_is_one_line_and_exit_1_and_stores_nothing(
    db: Database, tmp_path: Path, wechat_fake: tuple[FakeWeChatPay, str], alipay_fake: tuple[FakeAlipay, str]
) -> None:
    # given a platform with lots and both channels configured
    await build_world(db)
    credentials = _credentials(tmp_path, wechat_fake, alipay_fake)
    # when finance is asked for today (Beijing), which is over nowhere yet
    ran = await finance(db, credentials, "--day", _beijing_today().isoformat())
    # then one line says what is wrong with each job, the exit status is 1, and nothing was stored
    line = _one_line_failure(ran)
    assert "statements:" in line
    assert "is not over yet" in line
    assert f"wechatpay bill of {_beijing_today()} is not out yet" in line
    assert f"alipay bill of {_beijing_today()} is not out yet" in line
    assert await _runs(db) == {}


async def test_a_bad_day_is_refused_by_the_parser(db: Database, tmp_path: Path) -> None:
    ran = await finance(db, None, "--day", "2026-13-45")
    assert ran.code == 2
    assert "Traceback" not in ran.err
    assert "not a day (YYYY-MM-DD): '2026-13-45'" in ran.err


async def test_a_bill_that_fails_its_hash_is_a_failed_run_shown_as_current(
    db: Database,
    tmp_path: Path,
    gql: GraphQL,
    wechat_fake: tuple[FakeWeChatPay, str],
    alipay_fake: tuple[FakeAlipay, str],
) -> None:
    # given yesterday (Beijing) reconciled with a line, through the command
    world = await build_world(db)
    credentials = _credentials(tmp_path, wechat_fake, alipay_fake)
    day = _beijing_today() - timedelta(days=1)
    async with httpx.AsyncClient(base_url=f"{wechat_fake[1]}/_control") as control:
        await control.put(f"/bills/{day}", json={"extra": [_phantom(day)]})
        ran = await finance(db, credentials, "--day", day.isoformat())
        assert (ran.code, ran.err.count("Traceback")) == (0, 0), ran
        assert ran.out.strip() == f"settled ({day}) and reconciled {day} for wechatpay, alipay"
        assert await _runs(db) == {"wechatpay": (RunStatus.SUCCEEDED, "", 1), "alipay": (RunStatus.SUCCEEDED, "", 0)}
        # when WeChat's file no longer matches the hash in its signed answer, and the day is run again
        await control.put(f"/bills/{day}", json={"extra": [_phantom(day)], "tamper_download": True})
        ran = await finance(db, credentials, "--day", day.isoformat())
        # then the command says so on one line and exits 1; Alipay's bill is still reconciled
        line = _one_line_failure(ran)
        assert line == f"parkcloud finance: failed: wechatpay bill of {day}: bill file does not match the signed hash"
        # and the WeChat run of that day is stored as failed, with its reason and without the stale lines
        runs = await _runs(db)
        assert runs["wechatpay"] == (RunStatus.FAILED, "bill file does not match the signed hash", 0)
        assert runs["alipay"] == (RunStatus.SUCCEEDED, "", 0)
        # and the dashboard's query shows it as that day's run
        body = await gql(RUNS, {"from": day.isoformat(), "to": day.isoformat()}, token=world.tokens["platform"])
        got = {i["channel"]: i for i in body["data"]["reconciliations"]["items"]}
        assert got["wechatpay"] == {
            "channel": "wechatpay",
            "day": day.isoformat(),
            "status": "FAILED",
            "error": "bill file does not match the signed hash",
            "billRows": 0,
            "matched": 0,
            "missingOurs": 0,
        }
        assert (got["alipay"]["status"], got["alipay"]["error"]) == ("SUCCEEDED", "")
        # when the file is right again, the next run replaces the failure
        await control.put(f"/bills/{day}", json={"extra": [_phantom(day)]})
        ran = await finance(db, credentials, "--day", day.isoformat(), "--channels", "wechatpay")
    assert ran.code == 0, ran
    assert (await _runs(db))["wechatpay"] == (RunStatus.SUCCEEDED, "", 1)


async def test_a_channel_without_credentials_is_a_failed_run(
    db: Database, tmp_path: Path, wechat_fake: tuple[FakeWeChatPay, str]
) -> None:
    # given only WeChat Pay configured
    await build_world(db)
    credentials = _credentials(tmp_path, wechat_fake, None)
    day = _beijing_today() - timedelta(days=2)
    # when both bills are asked for
    ran = await finance(db, credentials, "--day", day.isoformat())
    # then Alipay's run fails for want of credentials; WeChat's is reconciled
    assert _one_line_failure(ran) == f"parkcloud finance: failed: alipay bill of {day}: not configured"
    runs = await _runs(db)
    assert runs == {"wechatpay": (RunStatus.SUCCEEDED, "", 0), "alipay": (RunStatus.FAILED, "not configured", 0)}
