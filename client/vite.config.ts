import { readFileSync, readdirSync } from 'node:fs';
import { defineConfig } from 'vite';

const api = process.env.API_URL ?? 'http://localhost:3000';

// The switcher names every language in itself without fetching its dictionary (each is its
// own chunk, see src/i18n/index.ts): the names are taken from the files here, at build time.
const i18n = new URL('./src/i18n/', import.meta.url);
const languageNames: Record<string, string> = {};
for (const file of readdirSync(i18n).filter((f) => f.endsWith('.json'))) {
  const dict = JSON.parse(readFileSync(new URL(file, i18n), 'utf8')) as Record<string, string>;
  languageNames[file.replace(/\.json$/, '')] = dict['lang.name'];
}

export default defineConfig({
  define: {
    __LANGUAGE_NAMES__: JSON.stringify(languageNames),
  },
  oxc: {
    jsx: { runtime: 'automatic', importSource: 'preact' },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 400,
  },
  server: {
    port: Number(process.env.CLIENT_PORT ?? 5173),
    proxy: {
      '/graphql': { target: api, changeOrigin: true },
      '/socket.io': { target: api, changeOrigin: true, ws: true },
      '/calendar': { target: api, changeOrigin: true },
      '/reports': { target: api, changeOrigin: true },
      '^/me(/|$)': { target: api, changeOrigin: true },
    },
  },
});
