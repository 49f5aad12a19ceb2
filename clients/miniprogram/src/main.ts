// uni-app's entry for both targets: it calls createApp() itself (no mount here).
import { createSSRApp } from 'vue'
import App from './App.vue'

export function createApp() {
  const app = createSSRApp(App)
  return { app }
}
