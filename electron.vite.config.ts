// electron-vite: main (ES module, out/main/main.js), preload (CommonJS, because sandboxed
// preloads cannot be ES modules: out/preload/preload.cjs) and the renderer (renderer/ →
// out/renderer, also what browser mode serves).
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import { dropUnusedCss } from './renderer/build/unusedCss';

const root = import.meta.dirname;

export default defineConfig({
  main: {
    build: {
      outDir: resolve(root, 'out/main'),
      rolldownOptions: {
        input: { main: resolve(root, 'electron/main.ts') },
        output: { format: 'es', entryFileNames: '[name].js' },
      },
    },
  },
  preload: {
    build: {
      outDir: resolve(root, 'out/preload'),
      rolldownOptions: {
        input: { preload: resolve(root, 'electron/preload.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(root, 'renderer'),
    plugins: [react()],
    css: { postcss: { plugins: [dropUnusedCss()] } },
    build: {
      outDir: resolve(root, 'out/renderer'),
      emptyOutDir: true,
      // electron-vite turns minifying off for the renderer; a minified bundle is a third of the
      // bytes to read and parse before the first render. No source maps in the build.
      minify: 'oxc',
      cssMinify: 'lightningcss',
      sourcemap: false,
      rolldownOptions: {
        input: { index: resolve(root, 'renderer/index.html') },
        output: {
          // React, i18next, zod and PatternFly in one chunk (with PatternFly's CSS), not as the
          // dozens of small chunks that the lazy areas' sharing of components would make: the
          // host page needs nearly all of it, and each file is a request before the first render.
          // xterm.js, noVNC and uPlot are not in it: they load with their areas.
          codeSplitting: {
            groups: [{ name: 'vendor', test: /node_modules[\\/](?:react|react-dom|scheduler|react-i18next|i18next|zod|@patternfly|focus-trap|tabbable|lodash)[\\/]/ }],
          },
        },
      },
    },
  },
});
