// First: the address's page starts loading while the rest of the entry evaluates.
import './firstPage'
import { createApp } from 'vue'
import urql from '@urql/vue'
import { ElMessage } from 'element-plus'
import 'element-plus/theme-chalk/base.css'
import 'element-plus/es/components/message/style/css'
import 'element-plus/es/components/message-box/style/css'
import App from './App.vue'
import { prefetchMe, router } from './router'
import { client, resetSocket } from './graphql/client'
import { onSessionExpired } from './stores/session'
import { t } from './i18n'
import './style.css'

// The API refused the token (expired, voided, another deployment's): the sign-in page, then back to this page.
onSessionExpired(() => {
  resetSocket()
  const here = router.currentRoute.value
  if (here.meta.public === true) return
  ElMessage.warning(t('error.UNAUTHENTICATED'))
  void router.push({ path: '/login', query: { next: here.fullPath } })
})

// `me` is on every cold visit's path: ask it before the shell mounts, not in the guard after.
prefetchMe()
createApp(App).use(router).use(urql, client).mount('#app')
