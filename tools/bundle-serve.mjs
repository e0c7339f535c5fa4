#!/usr/bin/env node
// `npm run build:serve`: browser mode's backend as one file, out/serve/domus-serve.mjs, for a
// machine that has Node but not this repository's node_modules — a dom0 running Domus for
// itself ("this computer"). Together with out/renderer (npm run build) it is all that machine
// needs: `node serve/domus-serve.mjs` beside `renderer/`, the layout of out/.
//
// esbuild, the bundler tsx runs on, bundles the TypeScript sources and the runtime modules. ssh2's
// optional native helpers (its crypto binding, cpu-features) stay out: ssh2 falls back to Node's
// own crypto without them. CommonJS modules inside an ES module bundle need `require`,
// `__filename` and `__dirname`, which the banner provides.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

const root = path.resolve(import.meta.dirname, '..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const outfile = path.join(root, 'out', 'serve', 'domus-serve.mjs');

await build({
  entryPoints: [path.join(root, 'electron', 'serve-cli.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['*.node', 'cpu-features'],
  define: { __DOMUS_VERSION__: JSON.stringify(pkg.version) },
  banner: {
    js: [
      "import { createRequire as __domusRequire } from 'node:module';",
      "import { fileURLToPath as __domusPath } from 'node:url';",
      'const require = __domusRequire(import.meta.url);',
      'const __filename = __domusPath(import.meta.url);',
      "const __dirname = __domusPath(new URL('.', import.meta.url));",
    ].join('\n'),
  },
  logLevel: 'warning',
});
process.stdout.write(`${path.relative(root, outfile)}\n`);
