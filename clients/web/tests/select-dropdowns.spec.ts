import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

// Element Plus renders a select's whole dropdown (a popper, a scrollbar and every option) when the select mounts,
// although nobody has opened it: the tariffs page's 12 selects with ~250 options took more of its cold load than
// its data. `:persistent="false"` renders the dropdown when it opens; the label of the chosen value still shows
// (Element Plus reads it from the option slots without mounting them).
function vueFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return vueFiles(path)
    return entry.name.endsWith('.vue') ? [path] : []
  })
}

describe('select dropdowns', () => {
  it('are rendered when opened, not when their page mounts', () => {
    const eager: string[] = []
    let selects = 0
    for (const file of vueFiles(join(__dirname, '..', 'src'))) {
      for (const tag of readFileSync(file, 'utf8').match(/<el-select\b[^>]*>/g) ?? []) {
        selects += 1
        if (!/:persistent="false"/.test(tag)) eager.push(`${file}: ${tag.split('\n')[0]}`)
      }
    }
    expect(selects).toBeGreaterThan(0)
    expect(eager).toEqual([])
  })
})
