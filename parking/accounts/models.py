"""Operator, role, API key and sign-in throttle tables."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Column, ForeignKey, Integer, String, Table, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from parking.common.db import Base, BigId, IdMixin, Timestamps, enum_column, utcnow
from parking.common.scope import CustomerScoped, Scope, ScopeLevel

operator_lots = Table(
    "operator_lots",
    Base.metadata,
    Column("operator_id", BigId, ForeignKey("operators.id", ondelete="CASCADE"), primary_key=True),
    Column("lot_id", BigId, ForeignKey("lots.id", ondelete="CASCADE"), primary_key=True),
)


class ScopeColumns:
    scope_level: Mapped[ScopeLevel] = mapped_column(enum_column(ScopeLevel))
    agent_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("agents.id"), index=True, default=None)
    customer_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("customers.id"), index=True, default=None)


class Role(IdMixin, Timestamps, ScopeColumns, CustomerScoped, Base):
    """A named set of permission codes (menus and operations), owned by the tenant that defined it."""

    __tablename__ = "roles"

    name: Mapped[str] = mapped_column(String(50))
    description: Mapped[str] = mapped_column(String(200), default="")
    permissions: Mapped[list[str]] = mapped_column(JSON, default=list)


class Operator(IdMixin, Timestamps, ScopeColumns, CustomerScoped, Base):
    __tablename__ = "operators"

    username: Mapped[str] = mapped_column(String(50), unique=True)
    display_name: Mapped[str] = mapped_column(String(50), default="")
    phone: Mapped[str] = mapped_column(String(30), default="")
    password_hash: Mapped[str] = mapped_column(String(200))
    role_id: Mapped[int] = mapped_column(BigId, ForeignKey("roles.id", ondelete="RESTRICT"), index=True)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    # No longer written: sign-ins are throttled per (username, address) in login_failures, never per account.
    # Kept for the deprecated ``lockedUntil`` field of the schema.
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(default=None)
    # Bumped on password change or deactivation: tokens issued before are void.
    token_version: Mapped[int] = mapped_column(Integer, default=1)
    last_login_at: Mapped[datetime | None] = mapped_column(default=None)
    # A merchant's operator (商户): sees and acts for that merchant only, whatever its role says.
    merchant_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("merchants.id", ondelete="CASCADE"), default=None, index=True
    )

    # The WeChat openid (of the mini-program) this operator signs in with (operatorWechatLogin), once bound.
    wechat_openid: Mapped[str | None] = mapped_column(String(64), unique=True, default=None)

    role: Mapped[Role] = relationship(lazy="raise")
    lots: Mapped[list[Any]] = relationship("Lot", secondary=operator_lots, lazy="raise")

    def scope(self, lot_ids: frozenset[int]) -> Scope:
        """The operator's scope; ``lot_ids`` are its lots (a merchant operator's: its merchant's lots)."""
        return Scope(self.scope_level, self.agent_id, self.customer_id, lot_ids, merchant_id=self.merchant_id)


class ApiKey(IdMixin, Timestamps, ScopeColumns, CustomerScoped, Base):
    """A partner's API key: only a prefix and a hash are stored; revocation is immediate."""

    __tablename__ = "api_keys"

    name: Mapped[str] = mapped_column(String(100))
    prefix: Mapped[str] = mapped_column(String(16), unique=True)
    key_hash: Mapped[str] = mapped_column(String(128))
    permissions: Mapped[list[str]] = mapped_column(JSON, default=list)
    lot_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    created_by_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("operators.id"), default=None)
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)
    last_used_at: Mapped[datetime | None] = mapped_column(default=None)


class LoginFailure(IdMixin, Base):
    """Failed sign-ins of one username from one client address, within a window (see parking.accounts.throttle).

    Keyed by the username as typed (folded), whether or not such an operator exists, so an unknown user and a
    wrong password look the same; never by account alone, so nobody can lock ``admin`` out from elsewhere.
    """

    __tablename__ = "login_failures"
    __table_args__ = (UniqueConstraint("username", "ip"),)

    username: Mapped[str] = mapped_column(String(100))
    ip: Mapped[str] = mapped_column(String(64), index=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    first_at: Mapped[datetime] = mapped_column(default=utcnow)
    locked_until: Mapped[datetime | None] = mapped_column(default=None)
