// Build step: a brotli and a gzip copy beside every text file of dist, made once at build time with Node's own
// zlib, so the API (api/web_assets.py) sends the smallest copy the browser accepts without compressing per
// request. A copy that would not be smaller is not written.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'
import type { Plugin } from 'vite'

const TEXT = /\.(js|mjs|css|html|svg|json|txt|map)$/

function* files(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) {
      if (name !== '.vite') yield* files(path) // the manifest is for tests, not served to browsers
    } else if (TEXT.test(name)) yield path
  }
}

export function precompress(outDir = 'dist'): Plugin {
  return {
    name: 'parkcloud-precompress',
    apply: 'build',
    closeBundle() {
      for (const path of files(outDir)) {
        const plain = readFileSync(path)
        const copies: [string, Buffer][] = [
          [
            '.br',
            brotliCompressSync(plain, {
              params: {
                [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
                [constants.BROTLI_PARAM_SIZE_HINT]: plain.length,
              },
            }),
          ],
          ['.gz', gzipSync(plain, { level: 9 })],
        ]
        for (const [suffix, data] of copies) if (data.length < plain.length) writeFileSync(path + suffix, data)
      }
    },
  }
}
