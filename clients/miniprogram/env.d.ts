/// <reference types="vite/client" />
declare module '*.vue' {
  import type { DefineComponent } from 'vue'
  const component: DefineComponent<object, object, unknown>
  export default component
}
interface ImportMetaEnv {
  /** The API's origin for mp-weixin builds (H5 is served by the API and uses relative URLs). */
  readonly VITE_API_BASE?: string
}
