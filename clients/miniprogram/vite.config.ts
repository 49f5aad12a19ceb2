import { defineConfig, type Plugin } from 'vite'
import uniPlugin from '@dcloudio/vite-plugin-uni'

// The package is CommonJS: its default export arrives wrapped under ESM.
const uni = ((uniPlugin as unknown as { default?: typeof uniPlugin }).default ?? uniPlugin) as typeof uniPlugin

const H5 = process.env.UNI_PLATFORM === 'h5'

/** The H5 build runs under the API's Content-Security-Policy (img-src and font-src 'self'), so its CSS loads
 * nothing from elsewhere: wot-design-uni's icon font keeps only its bundled wd-icons.ttf face (it names a CDN
 * face at at.alicdn.com first), and uni-h5's page-head shadow images from cdn.dcloud.net.cn are dropped.
 * (mp-weixin keeps the CDN font: WeChat loads remote fonts, and a local one would have to be inlined.) */
function selfHostedCss(): Plugin {
  const strip = (code: string) =>
    code
      .replace(/@font-face\s*\{[^}]*at\.alicdn\.com[^}]*\}/g, '')
      .replace(/url\(\s*['"]?https:\/\/cdn\.dcloud\.net\.cn\/[^)]*\)/g, 'none')
  const remote = (code: string) => code.includes('at.alicdn.com') || code.includes('cdn.dcloud.net.cn')
  return {
    name: 'parkcloud:self-hosted-css',
    // After sass and uni's own CSS additions, before the CSS is bundled and hashed.
    transform(code) {
      return remote(code) ? { code: strip(code), map: null } : null
    },
    // uni-h5 combines its built-in CSS itself at the end: the same rule there.
    generateBundle(_, bundle) {
      for (const file of Object.values(bundle)) {
        if (file.type === 'asset' && file.fileName.endsWith('.css') && typeof file.source === 'string') {
          if (remote(file.source)) file.source = strip(file.source)
        }
      }
    },
  }
}

// One source, two targets: `uni build` (H5, served by the API under /m/) and `uni build -p mp-weixin`.
// wot-design-uni components come in through the easycom rule in src/pages.json, so only the used ones ship.
export default defineConfig({
  plugins: [uni(), ...(H5 ? [selfHostedCss()] : [])],
  // The manifest lets tests/miniprogram follow the H5 entry's static imports (the first load).
  // H5 only: with subpackages, uni's mp-weixin build hands vite's manifest plugin chunks it cannot read.
  build: { chunkSizeWarningLimit: 400, manifest: H5 },
})
