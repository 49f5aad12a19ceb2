// Build step: each `graphql(`...`)` call of src/graphql/*.ts becomes the parsed document that codegen wrote
// for it in src/gql/graphql.ts, the same object the call returns at run time. Without it, every module that
// calls `graphql()` pulls in codegen's map of all documents (src/gql/gql.ts), so the first load carried every
// query of the dashboard; with it, a document travels in the chunk of the module that declares it. This is what
// codegen's babel and swc plugins do (which the Vite 8 build does not run); the types still come from gql.ts.
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import type { Plugin } from 'vite'

const CALL = /\bgraphql\(\s*`([^`]*)`\s*\)/g
const DEFINITION = /^\s*(?:(?:query|mutation|subscription)\s+(\w+)|fragment\s+(\w+)\s+on\b)/
const EXPORT = /^export const (\w+) = (\{.*\}) as unknown as DocumentNode<.*$/gm

/** codegen's name for the document of a `graphql()` source: `<Operation>Document` or `<Fragment>FragmentDoc`. */
function documentName(source: string): string | null {
  const found = DEFINITION.exec(source)
  if (found === null) return null
  return found[1] !== undefined ? `${found[1]}Document` : `${found[2]}FragmentDoc`
}

export function inlineDocuments(generated = 'src/gql/graphql.ts'): Plugin {
  const path = resolve(generated)
  return {
    name: 'parkcloud-inline-documents',
    enforce: 'pre',
    transform(code, id) {
      if (id.includes('/src/gql/') || !/\.ts$/.test(id) || !code.includes('graphql(`')) return null
      this.addWatchFile(path)
      const documents = new Map<string, string>()
      for (const [, name, json] of readFileSync(path, 'utf8').matchAll(EXPORT)) documents.set(name, json)
      const out = code.replace(CALL, (call, source: string) => {
        const name = documentName(source)
        const json = name === null ? undefined : documents.get(name)
        if (json === undefined) this.error(`${id}: no document in ${generated} for ${call.slice(0, 80)} (run codegen)`)
        return `(${json})`
      })
      return { code: out, map: null }
    },
  }
}
