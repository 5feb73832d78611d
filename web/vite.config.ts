import dns from 'dns'

import { visualizer } from 'rollup-plugin-visualizer'
import type { UserConfig } from 'vite'
import { defineConfig } from 'vite'
import { compression, defineAlgorithm } from 'vite-plugin-compression2'

import redwood from '@redwoodjs/vite'

import { bundleBudget } from './config/bundleBudget'
import { earlyAuth } from './config/earlyAuth'

// So that Vite will load on localhost instead of `127.0.0.1`.
// See: https://vitejs.dev/config/server-options.html#server-host.
dns.setDefaultResultOrder('verbatim')

const viteConfig: UserConfig = {
  plugins: [
    redwood(),
    // Brotli (quality 11) and gzip (level 9) copies of every asset, written
    // beside it at build time (main-abc123.js.br, .gz): the web server
    // (scripts/webServer.ts) sends the one the browser accepts without
    // compressing anything per request. Source maps are never sent.
    compression({
      include: /\.(js|css|svg)$/,
      exclude: /\.map$/,
      threshold: 1024,
      algorithms: [defineAlgorithm('brotliCompress'), defineAlgorithm('gzip', { level: 9 })],
    }),
    // BUNDLE_REPORT=1 yarn rw build web: which modules make up each chunk.
    ...(process.env.BUNDLE_REPORT
      ? [visualizer({ filename: 'bundle-report.html', gzipSize: true, brotliSize: true })]
      : []),
    // index.html starts dbAuth's start-up requests before the app's code has loaded (src/lib/startUpAuth.ts).
    earlyAuth(),
    // Fails the build when the first load grows (see the file for what counts).
    bundleBudget({ entryKb: 200, chunkKb: 60, exempt: /\/pages\/DashboardPage\// }),
  ],
  resolve: {
    alias: [
      // @redwoodjs/web 8.9's ES modules import Apollo's CommonJS bundles by
      // file (`@apollo/client/core/core.cjs`, `…/cache/cache.cjs`, …) while
      // everything else gets Apollo's ES modules: the main chunk held Apollo
      // twice, and the CommonJS copy pulled in the whole of graphql-js
      // (execution, validation, schema building) through a namespace import
      // nothing can tree-shake. The ES module of the same entry point is the
      // same API.
      { find: /^@apollo\/client\/(.+)\/[^/]+\.cjs$/, replacement: '@apollo/client/$1/index.js' },
    ],
  },
  define: {
    // Apollo's documented switch for production builds: drops its
    // development-only checks and warnings.
    'globalThis.__DEV__': JSON.stringify(false),
  },
  build: {
    // Redwood 8.9's Vite config builds with `minify: false` (left in for
    // debugging its React Server Components work). Unminified, the main chunk
    // is 1.55 MB (326 kB gzipped) and a phone on a slow connection waits
    // seconds longer for the login page (issue 21). Minified with esbuild,
    // Vite's default.
    minify: 'esbuild',
    // Source maps for debugging (open them in the browser's devtools, or give
    // them to an error tracker), "hidden": the code does not point to them, so
    // browsers never download them, and the web server refuses them unless
    // WEB_SERVE_SOURCE_MAPS=true.
    sourcemap: 'hidden',
  },
}

export default defineConfig(viteConfig)
