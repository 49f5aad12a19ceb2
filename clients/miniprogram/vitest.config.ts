import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

// Stores and logic only (no uni plugin): the `uni` global is stubbed per test (tests/uni-stub.ts).
export default defineConfig({
  resolve: { alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) } },
  test: { include: ['tests/**/*.spec.ts'], environment: 'node' },
})
