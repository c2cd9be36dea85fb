import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { LINKED_PAGES, linkedPageFile } from '../functions/rules/links.js';

/**
 * The app's HTML at the file key of each page a mailed or printed link opens
 * (`signin/index.html`, `review/index.html`: functions/rules/links.ts), so a private S3 bucket
 * serves those links as they are, without index documents or edge functions (the China regions'
 * CloudFront has none). Its asset URLs are absolute (`base: '/'`), so the copy works from a folder.
 */
function linkedPages(): Plugin {
  return {
    name: 'laurel-linked-pages',
    apply: 'build',
    writeBundle(options) {
      const outDir = options.dir ?? 'dist';
      for (const page of LINKED_PAGES) {
        const target = join(outDir, linkedPageFile(page));
        mkdirSync(dirname(target), { recursive: true });
        copyFileSync(join(outDir, 'index.html'), target);
      }
    },
  };
}

// The browser UI: one static single-page app, served by the local cloud (web/dist) and by
// CloudFront from S3. JSX is Preact's; the domain's pure modules (forms, eligibility,
// attachment rules) are imported as they are, so the browser checks what the server checks.
const apiTarget = process.env.LAUREL_API ?? 'http://localhost:3000';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  plugins: [linkedPages()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    chunkSizeWarningLimit: 700,
  },
  server: {
    proxy: {
      '/api': {
        target: apiTarget,
        // The API takes state-changing requests only from its own origin (functions/lib/api.ts):
        // the dev server stands in front of it as CloudFront does, so it speaks as that origin.
        configure: (proxy) =>
          proxy.on('proxyReq', (request) => request.setHeader('origin', new URL(apiTarget).origin)),
      },
    },
  },
});
