import { createApp } from 'vue'
import urql from '@urql/vue'
import 'element-plus/theme-chalk/base.css'
import 'element-plus/es/components/message/style/css'
import 'element-plus/es/components/message-box/style/css'
import App from './App.vue'
import { router } from './router'
import { client } from './graphql/client'
import './style.css'

createApp(App).use(router).use(urql, client).mount('#app')
