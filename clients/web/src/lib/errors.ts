// What an operator reads when the API refuses something: the code's meaning and the input field at fault in
// the operator's language, then the code itself (what support asks for). The server's message is English for
// most codes, so zh-CN shows it only when the server wrote it in Chinese (its catalogue texts); English always.
import { MutationError } from '../graphql/result'
import { locale, t } from '../i18n'

// Input fields whose label lives under another key than `field.<name>`.
const FIELD_KEYS: Record<string, string> = {
  name: 'common.name',
  lotId: 'common.lot',
  amountFen: 'money.amountYuan',
  amountYuan: 'money.amountYuan',
  reason: 'field.reason',
  username: 'login.username',
  password: 'login.password',
  capacity: 'lot.capacity',
  address: 'lot.address',
  code: 'lot.code',
}

/** The label of an input path such as `input.plate`: its last part, translated where the dashboard has a label. */
export function fieldLabel(path: string): string {
  const last = path.split('.').pop() ?? path
  for (const key of [FIELD_KEYS[last], `field.${last}`]) {
    if (key && t(key) !== key) return t(key)
  }
  return last
}

export function errorText(err: unknown): string {
  if (!(err instanceof MutationError)) return err instanceof Error ? err.message : String(err)
  const key = `error.${err.code}`
  const meaning = t(key)
  if (meaning === key) return `${err.code}: ${err.message}`
  const field = err.field ? ` · ${t('error.field')}: ${fieldLabel(err.field)}` : ''
  const detail = locale.value === 'en' || /[\u4e00-\u9fff]/.test(err.message) ? `: ${err.message}` : ''
  return `${meaning} (${err.code})${field}${detail}`
}
