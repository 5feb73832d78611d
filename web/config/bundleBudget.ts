/**
 * A size budget for the production bundle, checked on every `yarn rw build`
 * (and so in `yarn e2e` and CI): the build fails when a chunk is over it.
 *
 *   - the entry chunk (what every first visit downloads before anything
 *     renders): at most `entryKb` kB gzipped;
 *   - every other chunk (a page, a cell, a shared piece): at most `chunkKb` kB
 *     gzipped, except the chunks only the exempt pages load (the dashboard's
 *     chart library).
 *
 * Sizes are gzip level 9 of the minified code, i.e. what a browser without
 * brotli downloads. It prints every chunk with its size, so the build log is
 * also the bundle report; `BUNDLE_REPORT=1 yarn rw build web` adds the
 * module-level treemap (web/bundle-report.html, rollup-plugin-visualizer).
 */
import zlib from 'node:zlib'

import type { Plugin } from 'vite'

export type BundleBudget = {
  entryKb: number
  chunkKb: number
  /** Chunks whose own module matches, and the chunks only they import, are not held to chunkKb. */
  exempt: RegExp
}

type Row = { file: string; kind: 'entry' | 'exempt' | 'chunk'; gzipKb: number; limitKb?: number }

export function bundleBudget(budget: BundleBudget): Plugin {
  return {
    name: 'delivery-desk-bundle-budget',
    apply: 'build',
    generateBundle(_options, bundle) {
      const chunks = Object.values(bundle).filter((output) => output.type === 'chunk')
      if (chunks.length === 0) return

      // Who imports whom (statically or through import()), to find what only the exempt pages reach.
      const importers = new Map<string, string[]>()
      for (const chunk of chunks) {
        for (const imported of [...chunk.imports, ...chunk.dynamicImports]) {
          importers.set(imported, [...(importers.get(imported) ?? []), chunk.fileName])
        }
      }
      const exempt = new Set(
        chunks.filter((c) => c.facadeModuleId && budget.exempt.test(c.facadeModuleId)).map((c) => c.fileName)
      )
      for (let grew = true; grew; ) {
        grew = false
        for (const chunk of chunks) {
          const by = importers.get(chunk.fileName) ?? []
          if (!chunk.isEntry && !exempt.has(chunk.fileName) && by.length > 0 && by.every((f) => exempt.has(f))) {
            exempt.add(chunk.fileName)
            grew = true
          }
        }
      }

      const rows: Row[] = chunks.map((chunk) => {
        const gzipKb = zlib.gzipSync(chunk.code, { level: 9 }).length / 1000
        if (chunk.isEntry) return { file: chunk.fileName, kind: 'entry', gzipKb, limitKb: budget.entryKb }
        if (exempt.has(chunk.fileName)) return { file: chunk.fileName, kind: 'exempt', gzipKb }
        return { file: chunk.fileName, kind: 'chunk', gzipKb, limitKb: budget.chunkKb }
      })
      rows.sort((a, b) => b.gzipKb - a.gzipKb)
      const over = rows.filter((r) => r.limitKb !== undefined && r.gzipKb > r.limitKb)
      const line = (r: Row) =>
        `  ${r.gzipKb.toFixed(1).padStart(7)} kB gzip  ${r.kind.padEnd(6)} ${r.file}` +
        (r.limitKb === undefined ? '' : `  (budget ${r.limitKb} kB${r.gzipKb > r.limitKb ? ', OVER' : ''})`)
      // The build's own log is the bundle report (Rollup's this.info is shown only at --logLevel info).
      // eslint-disable-next-line no-console
      console.log(`\nbundle budget (gzip -9 of each chunk):\n${rows.map(line).join('\n')}\n`)
      if (over.length > 0) {
        this.error(
          `bundle budget exceeded (web/config/bundleBudget.ts, limits in web/vite.config.ts):\n${over.map(line).join('\n')}`
        )
      }
    },
  }
}
