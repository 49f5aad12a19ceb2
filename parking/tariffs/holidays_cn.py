"""China's public holidays and make-up workdays (调休) as data, from the State Council's yearly notices.

Sources (read 2026-11-21; the notices are republished verbatim by Xinhua):
- 2025: 国务院办公厅关于2025年部分节假日安排的通知 (国办发明电〔2024〕12号, 2024-11-12),
  https://m.gmw.cn/2024-11/12/content_1303894933.htm
- 2026: 国务院办公厅关于2026年部分节假日安排的通知 (2025-11-04),
  https://politics.gmw.cn/2025-11/04/content_38391083.htm

Each year lists the notice's ranges as written ("1月28日至2月4日放假调休，共8天") and its "上班" days, so a
reviewer can hold the data against the notice line by line. A new year is one more entry in ``NOTICES``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from parking.tariffs.document import Calendar


@dataclass(frozen=True, slots=True)
class HolidayNotice:
    year: int
    source: str
    # (first day, last day inclusive, days the notice says the break lasts)
    breaks: tuple[tuple[date, date, int], ...]
    workdays: tuple[date, ...]

    def holidays(self) -> list[date]:
        out: list[date] = []
        for first, last, _days in self.breaks:
            out += [first + timedelta(days=i) for i in range((last - first).days + 1)]
        return out


NOTICE_2025 = HolidayNotice(
    year=2025,
    source="国办发明电〔2024〕12号 https://m.gmw.cn/2024-11/12/content_1303894933.htm",
    breaks=(
        (date(2025, 1, 1), date(2025, 1, 1), 1),  # 元旦, 不调休
        (date(2025, 1, 28), date(2025, 2, 4), 8),  # 春节 (农历除夕至正月初七)
        (date(2025, 4, 4), date(2025, 4, 6), 3),  # 清明节
        (date(2025, 5, 1), date(2025, 5, 5), 5),  # 劳动节
        (date(2025, 5, 31), date(2025, 6, 2), 3),  # 端午节
        (date(2025, 10, 1), date(2025, 10, 8), 8),  # 国庆节、中秋节
    ),
    workdays=(
        date(2025, 1, 26),  # 周日上班 (春节)
        date(2025, 2, 8),  # 周六上班 (春节)
        date(2025, 4, 27),  # 周日上班 (劳动节)
        date(2025, 9, 28),  # 周日上班 (国庆节)
        date(2025, 10, 11),  # 周六上班 (国庆节)
    ),
)

NOTICE_2026 = HolidayNotice(
    year=2026,
    source="国务院办公厅 2025-11-04 https://politics.gmw.cn/2025-11/04/content_38391083.htm",
    breaks=(
        (date(2026, 1, 1), date(2026, 1, 3), 3),  # 元旦
        (date(2026, 2, 15), date(2026, 2, 23), 9),  # 春节 (腊月二十八至正月初七)
        (date(2026, 4, 4), date(2026, 4, 6), 3),  # 清明节
        (date(2026, 5, 1), date(2026, 5, 5), 5),  # 劳动节
        (date(2026, 6, 19), date(2026, 6, 21), 3),  # 端午节
        (date(2026, 9, 25), date(2026, 9, 27), 3),  # 中秋节
        (date(2026, 10, 1), date(2026, 10, 7), 7),  # 国庆节
    ),
    workdays=(
        date(2026, 1, 4),  # 周日上班 (元旦)
        date(2026, 2, 14),  # 周六上班 (春节)
        date(2026, 2, 28),  # 周六上班 (春节)
        date(2026, 5, 9),  # 周六上班 (劳动节)
        date(2026, 9, 20),  # 周日上班 (国庆节)
        date(2026, 10, 10),  # 周六上班 (国庆节)
    ),
)

NOTICES = (NOTICE_2025, NOTICE_2026)


def china_calendar(notices: tuple[HolidayNotice, ...] = NOTICES) -> Calendar:
    """A tariff calendar with every listed notice's holidays and make-up workdays (weekends Sat/Sun)."""
    holidays: list[date] = []
    workdays: list[date] = []
    for notice in notices:
        holidays += notice.holidays()
        workdays += notice.workdays
    return Calendar(holidays=holidays, workdays=workdays)
