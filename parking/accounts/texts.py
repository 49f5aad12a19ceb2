"""What an operator reads when signing in or binding WeChat is refused: typed keys into the accounts catalogue
(``texts.zh_CN.toml``, ``texts.en.toml``)."""

from __future__ import annotations

from enum import StrEnum, auto
from typing import Final

from parking.common.catalogue import Catalogue
from parking.common.errors import DomainError, ErrorCode


class AccountText(StrEnum):
    WRONG_CREDENTIALS = auto()
    LOCKED = auto()
    ACCOUNT_DISABLED = auto()
    WECHAT_NEEDS_OPERATOR = auto()
    WECHAT_BOUND_ELSEWHERE = auto()
    WECHAT_NOT_BOUND = auto()


CATALOGUE: Final = Catalogue.load(AccountText, __name__.rpartition(".")[0])


def text(key: AccountText, /, **params: object) -> str:
    """``key`` in zh-CN."""
    return CATALOGUE.text(key, **params)


def refuse(code: ErrorCode, key: AccountText, field: str | None = None) -> DomainError:
    return DomainError(code, text(key), field)
