// The web app's build (`npm run web:build` = `vite build web` -> web/dist, served by the gateway at
// /). `npm run web:dev` serves it with hot reload and sends the API's paths to the gateway (5005).
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react-swc';

export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true },
  server: { proxy: { '/api': 'http://127.0.0.1:5005', '/health': 'http://127.0.0.1:5005' } },
});
