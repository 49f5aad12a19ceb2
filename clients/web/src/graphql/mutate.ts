// One mutation of the `XSuccess | XError` kind: the success payload, or a MutationError with the API's code.
import type { Client } from '@urql/vue'
import type { TypedDocumentNode } from '@graphql-typed-document-node/core'
import { MutationError, unwrap, type CodedError } from './result'
import { t } from '../i18n'

export async function mutate<D extends Record<string, unknown>, V extends Record<string, unknown>>(
  client: Client,
  document: TypedDocumentNode<D, V>,
  variables: V,
): Promise<Exclude<D[keyof D], CodedError | null | undefined>> {
  const result = await client.mutation(document, variables).toPromise()
  if (result.error) throw new MutationError('UNAVAILABLE', result.error.message)
  const payload = Object.values((result.data ?? {}) as Record<string, unknown>)[0]
  return unwrap(payload as object | CodedError | null) as Exclude<D[keyof D], CodedError | null | undefined>
}

/** What the operator reads for a failure: the code in words, the code itself, and the server's message. */
export function errorText(err: unknown): string {
  if (!(err instanceof MutationError)) return (err as Error).message
  const key = `error.${err.code}`
  const words = t(key)
  return words === key ? `${err.code}: ${err.message}` : `${words} (${err.code}): ${err.message}`
}
