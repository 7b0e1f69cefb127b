import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'

// `npm run dev` proxies the API to a local `jiuzhu serve` (JIUZHU_API, default
// http://127.0.0.1:18090); `npm run build` writes web/dist, which the server serves.
export default defineConfig({
  plugins: [vue()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      output: {
        manualChunks: { 'element-plus': ['element-plus'], vue: ['vue', 'vue-router'] },
      },
    },
  },
  server: {
    proxy: { '/api': process.env.JIUZHU_API || 'http://127.0.0.1:18090' },
  },
})
