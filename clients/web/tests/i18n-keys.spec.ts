// Every user-facing label of the dashboard is an i18n key with a zh-CN and an English text, and no template
// or page description writes user-facing words directly (issue #17: the dashboard uses i18n keys only).
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { dictionaryKeys } from '../src/i18n'
import type { Resource } from '../src/components/resource'
import type { Catalogue, FormSpec } from '../src/components/form'
import { resources } from '../src/views/resources'
import { catalogues } from '../src/views/catalogue'
import { deviceRefusals, faultTickets } from '../src/views/fieldResources'
import { routes } from '../src/routes'

const SRC = join(__dirname, '..', 'src')

function formKeys(form: FormSpec | undefined): string[] {
  return form ? [form.title, ...form.fields.map((f) => f.label)] : []
}

function resourceKeys(r: Resource): string[] {
  return [
    r.title,
    ...r.columns.map((c) => c.label),
    ...(r.filters ?? []).map((f) => f.label),
    ...formKeys(r.create),
  ]
}

function catalogueKeys(c: Catalogue): string[] {
  return [
    ...formKeys(c.create),
    ...formKeys(c.edit),
    ...(c.actions ?? []).flatMap((a) => [a.label, ...(a.confirm ? [a.confirm] : [])]),
  ]
}

function sourceFiles(dir: string, ext: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return name === 'gql' ? [] : sourceFiles(path, ext)
    return path.endsWith(ext) ? [path] : []
  })
}

/** The keys written as `t('…')` in the sources. */
function keysInSources(): string[] {
  const keys: string[] = []
  for (const path of [...sourceFiles(SRC, '.vue'), ...sourceFiles(SRC, '.ts')]) {
    for (const m of readFileSync(path, 'utf8').matchAll(/\bt\(\s*'([^'$]+)'\s*\)/g)) keys.push(m[1])
  }
  return keys
}

describe('i18n keys', () => {
  const pages = [...Object.values(resources), deviceRefusals, faultTickets]
  const declared = [
    ...pages.flatMap(resourceKeys),
    ...Object.values(catalogues).flatMap(catalogueKeys),
    ...routes.map((r) => (r.meta as { title?: string } | undefined)?.title).filter((k): k is string => !!k),
  ]

  it('names every page, column, filter, form field and action by a key that both languages have', () => {
    const missing = [...new Set(declared)].filter((k) => !dictionaryKeys.zh.includes(k) || !dictionaryKeys.en.includes(k))
    expect(missing).toEqual([])
  })

  it('has both languages for every key the sources pass to t()', () => {
    const missing = [...new Set(keysInSources())].filter(
      (k) => !dictionaryKeys.zh.includes(k) || !dictionaryKeys.en.includes(k),
    )
    expect(missing).toEqual([])
  })

  it('writes no user-facing words directly in a template', () => {
    const raw: string[] = []
    for (const path of sourceFiles(SRC, '.vue')) {
      const source = readFileSync(path, 'utf8')
      const template = source.match(/<template>([\s\S]*)<\/template>/)?.[1] ?? ''
      // Text between tags, and the label-like attributes Element Plus shows (a bound :label is code).
      const texts = [
        ...[...template.matchAll(/>([^<>{}]*)</g)].map((m) => m[1]),
        ...[...template.matchAll(/\s(?:label|title|placeholder|content|confirm-button-text|cancel-button-text)="([^"]*)"/g)].map((m) => m[1]),
      ]
      // String literals inside {{ }} (a t('…') call is a key, an enumLabel('…', v) call names an enum: not texts).
      for (const m of template.matchAll(/\{\{([^}]*)\}\}/g)) {
        const code = m[1].replace(/\bt\('[^']*'\)/g, '').replace(/\benumLabel\('[^']*'/g, '')
        texts.push(...[...code.matchAll(/'([^']*)'/g)].map((s) => s[1]))
      }
      for (const text of texts.map((s) => s.trim())) {
        // An example path (a mini-program page) is not words.
        if (/^[\w.-]+(\/[\w.-]+)+$/.test(text)) continue
        // Words: a Latin word of two letters or more, or any Chinese character. Symbols (¥, ·, %, /) may stay.
        if (/[A-Za-z]{2,}|[\u4e00-\u9fff]/.test(text)) raw.push(`${path.slice(SRC.length + 1)}: ${text}`)
      }
    }
    expect(raw).toEqual([])
  })
})
