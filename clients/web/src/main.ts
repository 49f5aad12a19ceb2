import { createApp } from 'vue'
import urql from '@urql/vue'
import { ElMessage } from 'element-plus'
import 'element-plus/theme-chalk/base.css'
import 'element-plus/es/components/message/style/css'
import 'element-plus/es/components/message-box/style/css'
import App from './App.vue'
import { router } from './router'
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

createApp(App).use(router).use(urql, client).mount('#app')
