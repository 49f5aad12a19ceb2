"""Accounts mutations: login, roles, operators, API keys."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, cast

import strawberry

from parking.accounts import service
from parking.accounts.auth import issue_token, login
from parking.accounts.errors import AccountErrorCode
from parking.accounts.permissions import Perm
from parking.accounts.texts import AccountText, refuse
from parking.accounts.throttle import LoginPolicy
from parking.accounts.wechat import bind_wechat, operator_for_openid
from parking.common.db import utcnow
from parking.common.errors import DomainError, ErrorCode
from parking.common.scope import Scope
from parking.drivers.login import openid_for_code
from schema.accounts import inputs
from schema.accounts.types import ApiKeyType, OperatorType, RoleType
from schema.core.context import Info
from schema.core.errors import Error, error_codes, error_from
from schema.core.mutations import run
from schema.core.permissions import describe, requires
from schema.core.results import DeleteSuccess, deleted

error_codes(AccountErrorCode, "an accounts")


@strawberry.type
class AccountError(Error):
    code: AccountErrorCode
    message: str
    field: str | None = None


@strawberry.type
class LoginSuccess:
    token: str
    expires_in: int
    operator: OperatorType


@strawberry.type
class RoleSuccess:
    role: RoleType


@strawberry.type
class OperatorSuccess:
    operator: OperatorType


@strawberry.type
class ApiKeyCreateSuccess:
    api_key: ApiKeyType
    key: str = strawberry.field(description="The full key: shown this once, store it now.")


@strawberry.type
class ApiKeySuccess:
    api_key: ApiKeyType


LoginResult = Annotated[LoginSuccess | AccountError, strawberry.union("LoginResult")]
RoleResult = Annotated[RoleSuccess | AccountError, strawberry.union("RoleResult")]
OperatorResult = Annotated[OperatorSuccess | AccountError, strawberry.union("OperatorResult")]
ApiKeyCreateResult = Annotated[ApiKeyCreateSuccess | AccountError, strawberry.union("ApiKeyCreateResult")]
ApiKeyResult = Annotated[ApiKeySuccess | AccountError, strawberry.union("ApiKeyResult")]
AccountDeleteResult = Annotated[DeleteSuccess | AccountError, strawberry.union("AccountDeleteResult")]


@strawberry.input(description="A wx.login() code of the mini-program.")
class WechatCodeInput:
    code: str


@strawberry.type
class AccountsMutation:
    @strawberry.mutation(
        description="Tie the signed-in operator (an operator token, not an API key) to the WeChat account of a "
        "wx.login() code, so that operatorWechatLogin signs in with WeChat alone. Refusals, nothing changed: "
        "UNAUTHENTICATED, INVALID_CREDENTIALS (WeChat refused the code: forged, used or expired), DUPLICATE "
        "(another operator holds that WeChat)."
    )
    async def operator_wechat_bind(self, info: Info, input: WechatCodeInput) -> OperatorResult:
        ctx = info.context
        try:
            if ctx.actor is None:
                raise refuse(ErrorCode.UNAUTHENTICATED, AccountText.WECHAT_NEEDS_OPERATOR)
            openid = await openid_for_code(ctx.db.services, input.code)
            async with ctx.db.transaction(Scope.internal()) as session:
                operator = await bind_wechat(session, ctx.actor, openid)
        except DomainError as err:
            return error_from(err, AccountError)
        return OperatorSuccess(operator=cast(OperatorType, operator))

    @strawberry.mutation(
        description="Sign in with a wx.login() code of the mini-program, for an operator who bound that WeChat "
        "(operatorWechatBind). INVALID_CREDENTIALS when WeChat refuses the code or no operator holds it."
    )
    async def operator_wechat_login(self, info: Info, input: WechatCodeInput) -> LoginResult:
        ctx = info.context
        now = utcnow()
        try:
            openid = await openid_for_code(ctx.db.services, input.code)
            async with ctx.db.transaction(Scope.internal()) as session:
                operator = await operator_for_openid(session, openid, now)
                token = issue_token(ctx.secret_key, operator, now, ctx.token_ttl_s)
        except DomainError as err:
            return error_from(err, AccountError)
        return LoginSuccess(token=token, expires_in=ctx.token_ttl_s, operator=cast(OperatorType, operator))

    @strawberry.mutation(
        description="Sign in; repeated failures from one address lock that username there (and then the address)"
        " for a while."
    )
    async def login(self, info: Info, username: str, password: str) -> LoginResult:
        ctx = info.context
        now = utcnow()
        policy = LoginPolicy(
            ctx.login_max_failures, timedelta(seconds=ctx.login_lock_s), ctx.login_max_address_failures
        )
        # The failure counter must be committed even when the login is refused.
        async with ctx.db.transaction(Scope.internal()) as session:
            try:
                operator = await login(session, username[:100], password[:200], now, policy, ip=ctx.client_ip)
            except DomainError as err:
                refused = error_from(err, AccountError)
            else:
                token = issue_token(ctx.secret_key, operator, now, ctx.token_ttl_s)
                return LoginSuccess(token=token, expires_in=ctx.token_ttl_s, operator=cast(OperatorType, operator))
        return refused

    @strawberry.mutation(
        extensions=requires(Perm.ROLES_MANAGE), description=describe("Create a role.", Perm.ROLES_MANAGE)
    )
    async def role_create(self, info: Info, input: inputs.RoleCreateInput) -> RoleResult:
        return await run(
            info,
            lambda s, a: service.create_role(s, a, input.to_pydantic()),
            AccountError,
            lambda row: RoleSuccess(role=cast(RoleType, row)),
        )

    @strawberry.mutation(
        extensions=requires(Perm.ROLES_MANAGE), description=describe("Change a role.", Perm.ROLES_MANAGE)
    )
    async def role_update(self, info: Info, id: strawberry.ID, input: inputs.RoleUpdateInput) -> RoleResult:
        return await run(
            info,
            lambda s, a: service.update_role(s, a, id, input.to_pydantic()),
            AccountError,
            lambda row: RoleSuccess(role=cast(RoleType, row)),
        )

    @strawberry.mutation(
        extensions=requires(Perm.ROLES_MANAGE),
        description=describe("Delete an unused role.", Perm.ROLES_MANAGE),
    )
    async def role_delete(self, info: Info, id: strawberry.ID) -> AccountDeleteResult:
        return await run(info, lambda s, a: service.delete_role(s, a, id), AccountError, deleted)

    @strawberry.mutation(
        extensions=requires(Perm.OPERATORS_MANAGE),
        description=describe("Create an operator.", Perm.OPERATORS_MANAGE),
    )
    async def operator_create(self, info: Info, input: inputs.OperatorCreateInput) -> OperatorResult:
        return await run(
            info,
            lambda s, a: service.create_operator(s, a, input.to_pydantic()),
            AccountError,
            lambda row: OperatorSuccess(operator=cast(OperatorType, row)),
        )

    @strawberry.mutation(
        extensions=requires(Perm.OPERATORS_MANAGE),
        description=describe("Change an operator.", Perm.OPERATORS_MANAGE),
    )
    async def operator_update(self, info: Info, id: strawberry.ID, input: inputs.OperatorUpdateInput) -> OperatorResult:
        return await run(
            info,
            lambda s, a: service.update_operator(s, a, id, input.to_pydantic()),
            AccountError,
            lambda row: OperatorSuccess(operator=cast(OperatorType, row)),
        )

    @strawberry.mutation(
        extensions=requires(Perm.OPERATORS_MANAGE),
        description=describe("Delete an operator.", Perm.OPERATORS_MANAGE),
    )
    async def operator_delete(self, info: Info, id: strawberry.ID) -> AccountDeleteResult:
        return await run(info, lambda s, a: service.delete_operator(s, a, id), AccountError, deleted)

    @strawberry.mutation(
        extensions=requires(Perm.API_KEYS_MANAGE),
        description=describe("Issue a partner API key.", Perm.API_KEYS_MANAGE),
    )
    async def api_key_create(self, info: Info, input: inputs.ApiKeyCreateInput) -> ApiKeyCreateResult:
        return await run(
            info,
            lambda s, a: service.create_api_key(s, a, input.to_pydantic()),
            AccountError,
            lambda pair: ApiKeyCreateSuccess(api_key=cast(ApiKeyType, pair[0]), key=pair[1]),
        )

    @strawberry.mutation(
        extensions=requires(Perm.API_KEYS_MANAGE),
        description=describe("Revoke a partner API key now.", Perm.API_KEYS_MANAGE),
    )
    async def api_key_revoke(self, info: Info, id: strawberry.ID) -> ApiKeyResult:
        return await run(
            info,
            lambda s, a: service.revoke_api_key(s, a, id),
            AccountError,
            lambda row: ApiKeySuccess(api_key=cast(ApiKeyType, row)),
        )
