// What an operator reads when the API refuses: the code's meaning from the catalogue (zh-CN), with the code for
// support. Refusals arrive two ways: a whole-request GraphQL error (a token without the permission the field
// requires: extensions.code PERMISSION_DENIED / UNAUTHENTICATED) or an `…Error` member of a result union.
import { t } from '@/locale'

export type RefusalCode = keyof typeof t.refusal.codes

export function refusalText(code: string | null | undefined): string {
  if (!code) return t.errors.server
  const meaning = (t.refusal.codes as Record<string, string>)[code]
  return meaning ? t.refusal.withCode(meaning, code) : t.refusal.withCode(t.refusal.unknown, code)
}
