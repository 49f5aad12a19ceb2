// The catalogue pages use; zh-CN is the only (and first) language.
import { zhCN } from './zh-CN'

export const t = zhCN
