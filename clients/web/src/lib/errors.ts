// What an operator reads when the API refuses something: the code's meaning, the code itself and the API's
// message (the code is what support asks for).
import { MutationError } from '../graphql/result'
import { t } from '../i18n'

export function errorText(err: unknown): string {
  if (err instanceof MutationError) {
    const key = `error.${err.code}`
    const meaning = t(key)
    return meaning === key ? `${err.code}: ${err.message}` : `${meaning} (${err.code}): ${err.message}`
  }
  return err instanceof Error ? err.message : String(err)
}
