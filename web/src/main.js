import { createApp } from 'vue'
import App from './App.vue'
import { router } from './router.js'
import { setLocale, locale } from './i18n.js'
import './style.css'

setLocale(locale.value)
createApp(App).use(router).mount('#app')
