import { defineConfig } from 'vitest/config'
import vue from '@vitejs/plugin-vue'
import Components from 'unplugin-vue-components/vite'
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers'
import { precompress } from './precompress'
import { inlineDocuments } from './inlineDocuments'

// What pages share (Element Plus and other libraries, the app's components, helpers, stores and operations) goes in
// one lazy chunk, so a cold page load asks for a handful of files instead of ~50 (HTTP/1.1 fetches 6 at a time,
// and `me` waited behind them); the charts and QR codes stay with the few pages that draw them.
const SHARED = /node_modules[\\/]|src[\\/](components|lib|stores|graphql|composables)[\\/]|src[\\/]views[\\/][a-z]\w*\.ts$/
const CHARTS = /node_modules[\\/](echarts|zrender|vue-echarts|qrcode|tslib)[\\/]|src[\\/](components[\\/](ReportChart|FeeCurve|ChinaLotMap|LaneQr|CodeQr)\.vue|lib[\\/](overview|lotmap|qr|merchantStats)\.ts)/

// Element Plus components are imported on demand (with their CSS) so the first load stays small;
// ECharts lands in chunks that only the pages with charts pull in.
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
        // on nothing else, so the entry evaluates it before Vue and Element Plus (a cold load's first page);
        // the rest of the first load in one chunk (`$initial`: what the entry imports statically); then `pages`.
        codeSplitting: {
          groups: [
            { name: 'first-page', test: /src[\\/](firstPage|routes|stores[\\/]token)\.ts$/, priority: 10 },
            { name: 'shell', tags: ['$initial'], priority: 5 },
            { name: 'pages', test: (id) => SHARED.test(id) && !CHARTS.test(id), priority: 3 },
          ],
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
