import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/** `npm run build:console`: src/console -> src/console/dist (served by the API at /). No framework, one small bundle. */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  logLevel: 'warn',
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', sourcemap: false, reportCompressedSize: false },
});
