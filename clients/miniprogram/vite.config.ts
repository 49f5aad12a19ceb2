import { defineConfig } from 'vite'
import uniPlugin from '@dcloudio/vite-plugin-uni'

// The package is CommonJS: its default export arrives wrapped under ESM.
const uni = ((uniPlugin as unknown as { default?: typeof uniPlugin }).default ?? uniPlugin) as typeof uniPlugin

// One source, two targets: `uni build` (H5, served by the API under /m/) and `uni build -p mp-weixin`.
// wot-design-uni components come in through the easycom rule in src/pages.json, so only the used ones ship.
export default defineConfig({
  plugins: [uni()],
  // The manifest lets tests/miniprogram follow the H5 entry's static imports (the first load). H5 only: with
  // subpackages, uni's mp-weixin build hands vite's manifest plugin chunks it cannot read (the build fails).
  build: { chunkSizeWarningLimit: 400, manifest: process.env.UNI_PLATFORM !== 'mp-weixin' },
})
