import { createApp } from 'vue'
import ElementPlus from 'element-plus'
import 'element-plus/dist/index.css'
import './styles.css'
import App from './App.vue'
import { router } from './router.js'
import { setLocale, locale } from './i18n.js'

setLocale(locale.value)
createApp(App).use(ElementPlus).use(router).mount('#app')
