/** Browser entry: Vue app with Pinia (form state, recent jobs), vue-i18n (zh-TW, English) and vue-query (job status polling). */
import { QueryClient, VueQueryPlugin } from '@tanstack/vue-query'
import { createPinia } from 'pinia'
import { createApp } from 'vue'
import App from './App.vue'
import { i18n, keepLocaleChoice } from './i18n/index.ts'
import './styles.css'

const queryClient = new QueryClient({
  defaultOptions: { queries: { refetchOnWindowFocus: false } },
})

keepLocaleChoice()
createApp(App).use(createPinia()).use(i18n).use(VueQueryPlugin, { queryClient }).mount('#app')
