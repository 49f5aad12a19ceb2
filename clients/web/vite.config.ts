import { defineConfig } from 'vitest/config'
import vue from '@vitejs/plugin-vue'
import Components from 'unplugin-vue-components/vite'
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers'
import { precompress } from './precompress'
import { inlineDocuments } from './inlineDocuments'

// Element Plus components are imported on demand (with their CSS) so the first load stays small;
// ECharts lands in its own chunk that only the overview page pulls in.
export default defineConfig({
  plugins: [
    vue(),
    // Each GraphQL document in the chunk of the module that declares it, not all of them in the entry.
    inlineDocuments(),
    Components({ resolvers: [ElementPlusResolver({ importStyle: 'css' })], dts: 'src/components.d.ts' }),
    // gzip and brotli copies of dist's text files, served by api/web_assets.py with Content-Encoding.
    precompress(),
  ],
  server: {
    proxy: { '/graphql': { target: 'http://127.0.0.1:8000', ws: true } },
  },
  // The manifest lets tests/web/test_bundle_size.py follow the entry's static imports (the first load).
  build: {
    chunkSizeWarningLimit: 1200,
    manifest: true,
    rolldownOptions: {
      output: {
        // The route table and the first page's preload (src/firstPage.ts) in a chunk of their own that depends
        // on nothing else, so the entry evaluates it before Vue and Element Plus (a cold load's first page).
        codeSplitting: {
          groups: [{ name: 'first-page', test: /src[\\/](firstPage|routes|stores[\\/]token)\.ts$/, priority: 10 }],
        },
      },
    },
  },
  test: {
    environment: 'happy-dom',
    include: ['tests/**/*.spec.ts'],
    setupFiles: ['tests/setup.ts'],
    server: { deps: { inline: ['element-plus'] } },
  },
})
