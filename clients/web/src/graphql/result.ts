// Mutations answer `XSuccess | XError`; this turns the union into a value or a thrown, readable error.

export interface CodedError {
  __typename?: string
  code: string
  message: string
  field?: string | null
}

export class MutationError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly field: string | null = null,
  ) {
    super(message)
  }
}

export function isCodedError(value: unknown): value is CodedError {
  return typeof value === 'object' && value !== null && 'code' in value && 'message' in value
}

/** Returns the success payload or throws MutationError with the server's code. */
export function unwrap<T extends object>(value: T | CodedError | null | undefined): T {
  if (!value) throw new MutationError('INTERNAL', 'no result')
  if (isCodedError(value)) throw new MutationError(value.code, value.message, value.field ?? null)
  return value as T
}

/** Whether a urql result's error carries a GraphQL error with the server's `extensions.code` (the errors outside the
 * `Success | Error` unions: UNAUTHENTICATED, PERMISSION_DENIED, EVENTS_UNAVAILABLE). */
export function hasErrorCode(error: unknown, code: string): boolean {
  const errors = (error as { graphQLErrors?: { extensions?: { code?: unknown } }[] } | null | undefined)?.graphQLErrors
  return errors?.some((e) => e.extensions?.code === code) ?? false
}
