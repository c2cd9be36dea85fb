import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The browser UI: one static single-page app, served by the local cloud (web/dist) and by
// CloudFront from S3. JSX is Preact's; the domain's pure modules (forms, eligibility,
// attachment rules) are imported as they are, so the browser checks what the server checks.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    chunkSizeWarningLimit: 700,
  },
  server: { proxy: { '/api': process.env.LAUREL_API ?? 'http://localhost:3000' } },
});
