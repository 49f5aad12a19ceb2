"""What the lane display shows and the voice says, in Chinese: one place to reword them."""

from __future__ import annotations

from datetime import datetime, timedelta

from parking.plates import NO_PLATE, display_plate

WELCOME = "欢迎光临"
GOODBYE = "一路顺风"
TEMPORARY = "临时车"
VISITOR = "访客车辆"
NO_ENTRY = "禁止通行"
NOT_ALLOWED_HERE = "本通道禁止通行"
CLOSED_NOW = "非开放时段"
LOT_FULL = "车位已满"
NO_PLATE_LINE = "无牌车"
SCAN_TO_ENTER = "请扫码入场"
SCAN_TO_PAY = "请扫码缴费出场"
NO_ENTRY_RECORD = "无入场记录"
WAIT_FOR_OPERATOR = "请稍候 工作人员确认中"
HAS_ARREARS = "有欠费 出场时请补缴"
OFFLINE_PAY_LATER = "网络中断 费用下次补缴"
FRICTIONLESS_PAYING = "免密支付中"
REVERSED_AWAY = "车辆折返 未入场"


def plate_line(plate: str) -> str:
    if plate == NO_PLATE:
        return NO_PLATE_LINE
    try:
        return display_plate(plate)
    except ValueError:
        return plate


def spoken_plate(plate: str) -> str:
    return NO_PLATE_LINE if plate == NO_PLATE else plate


def yuan(fen: int) -> str:
    return f"{fen // 100}.{fen % 100:02d}"


def fee_line(fen: int) -> str:
    return f"请缴费{yuan(fen)}元" if fen > 0 else ""


def amount_line(fen: int) -> str:
    """The amount alone, for a fee being deducted: the driver is not asked to pay it."""
    return f"费用{yuan(fen)}元" if fen > 0 else ""


def spoken_fee(fen: int) -> str:
    return f"请缴费{yuan(fen).rstrip('0').rstrip('.')}元"


def duration_line(stay: timedelta) -> str:
    minutes = max(0, int(stay.total_seconds() // 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    text = f"{hours}小时{mins}分" if hours else f"{mins}分钟"
    return f"停车{days}天{text}" if days else f"停车{text}"


def pass_days(ends_at: datetime | None, now: datetime) -> str:
    if ends_at is None:
        return "长期车"
    days = (ends_at - now).days
    return f"月租车 剩余{days}天" if days >= 0 else "月租车已过期"


def free_spaces(count: int) -> str:
    return f"余位{max(0, count)}"
