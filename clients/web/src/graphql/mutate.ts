// One mutation of the `XSuccess | XError` kind: the success payload, or a MutationError with the API's code.
import type { Client } from '@urql/vue'
import type { TypedDocumentNode } from '@graphql-typed-document-node/core'
import { MutationError, unwrap, type CodedError } from './result'

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

// The one wording of a refusal lives in lib/errors.ts; pages import it from here or there.
export { errorText } from '../lib/errors'
