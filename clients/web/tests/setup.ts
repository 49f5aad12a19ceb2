// Every spec may switch to English (`locale.value = 'en'`) and expect English texts at once: load that catalogue,
// which the app itself loads only when a visitor first switches to it (src/i18n.ts), before the specs run.
import { loadLocale } from '../src/i18n'

await loadLocale('en')
