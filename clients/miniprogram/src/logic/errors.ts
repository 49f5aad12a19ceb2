// A failed call in the catalogue's words: known error codes first, then the server's own (zh-CN) message.
import { GraphQLRequestError } from '@/api/graphql'
import { NetworkError } from '@/api/http'
import { t } from '@/locale'

const BY_CODE: Record<string, string> = {
  RATE_LIMITED: t.errors.rateLimited,
  UNAUTHENTICATED: t.errors.unauthenticated,
  INVALID_PLATE: t.errors.invalidPlate,
  PLATE_LIMIT: t.plates.limit,
  PLATE_BOUND_ELSEWHERE: t.plates.boundElsewhere,
  NOT_PROVEN: t.plates.notProven,
}

export function errorText(err: unknown): string {
  if (err instanceof NetworkError) return t.errors.network
  if (err instanceof GraphQLRequestError) {
    if (err.status === 401) return t.errors.unauthenticated
    return (err.code && BY_CODE[err.code]) || t.errors.server
  }
  return t.errors.server
}

/** An expected error of a `Success | Error` union. */
export function resultErrorText(error: { code: string; message: string }): string {
  return BY_CODE[error.code] ?? (error.message || t.errors.server)
}
