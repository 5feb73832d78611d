/**
 * The web app's first load, measured in a real browser on a slow connection:
 * Debian's Chromium through playwright-core (as web/e2e/lib.ts drives it)
 * against the production build served as `yarn rw serve` serves it (the web
 * server proxying /api to the api server), on a database seeded as for the
 * GraphQL pages (bench/queries.ts: 100,000 messages).
 *
 * Network: Lighthouse's "Slow 4G" profile through CDP
 * `Network.emulateNetworkConditions` (150 ms round trip, 1.6 Mbit/s down,
 * 750 kbit/s up). Each run is a fresh browser context:
 *
 *   1. first visit, HTTP cache disabled: /login until the login form is
 *      usable (its "Log in" button rendered by React), and the bytes
 *      transferred by then; then log in and time until the message list
 *      shows its newest message, and the bytes that took;
 *   2. repeat visit, cache enabled, in a new tab of the same context (the
 *      session cookie and the HTTP cache kept): / until the message list shows
 *      its newest message, and what went over the network, by resource type.
 *
 * Bytes are Chromium's encodedDataLength (headers + body as received, i.e.
 * compressed when the server compressed). Times are the page's own clock
 * (performance.now() from navigation start), noted by a MutationObserver the
 * moment the element appears in the DOM (MARKS_SCRIPT).
 */
import { chromium, type Browser, type BrowserContext, type CDPSession, type Page } from 'playwright-core'

import { median, round1 } from './lib'
import { BENCH_USER } from './queries'

/** Lighthouse's Slow 4G: 150 ms RTT, 1.6 Mbit/s down, 750 kbit/s up (bytes per second for CDP). */
export const SLOW_4G = {
  offline: false,
  latency: 150,
  downloadThroughput: (1.6 * 1000 * 1000) / 8,
  uploadThroughput: (750 * 1000) / 8,
}

/** The newest seeded message (bench/queries.ts seeds "Your parcel <g> is on its way", g = 1 newest). */
const NEWEST_MESSAGE = 'Your parcel 1 is on its way'

export type Transfer = {
  requests: number
  bytes: number
  /** Requests and bytes per Chromium resource type (Document, Script, Stylesheet, Fetch, Image, …). */
  byType: Record<string, { requests: number; bytes: number }>
  /** Type and path of each request that was neither the HTML nor data (Document, Fetch, XHR). */
  assets: string[]
}

export type WebRun = {
  loginUsableMs: number
  loginBytes: Transfer
  listUsableAfterLoginMs: number
  loginToListBytes: Transfer
  repeatListUsableMs: number
  repeatBytes: Transfer
}

export type WebFigures = {
  runs: WebRun[]
  median: {
    loginUsableMs: number
    loginKb: number
    listUsableAfterLoginMs: number
    loginToListKb: number
    repeatListUsableMs: number
    repeatKb: number
  }
  /** What the repeat visit fetched over the network (the median run's). */
  repeatTypes: Transfer['byType']
  repeatAssets: string[]
}

const HTML_AND_DATA = ['Document', 'Fetch', 'XHR']

/** Counts what finishes loading over the network (not from the memory or disk cache). */
class Ledger {
  private types = new Map<string, string>()
  private described = new Map<string, string>()
  private cached = new Set<string>()
  private finished: { type: string; bytes: number; what: string }[] = []

  constructor(cdp: CDPSession) {
    cdp.on('Network.responseReceived', (e) => {
      this.types.set(e.requestId, e.type)
      // (A revalidated 304 shows here with the cached response's status: the bytes tell it apart.)
      this.described.set(e.requestId, new URL(e.response.url).pathname)
      if (e.response.fromDiskCache || e.response.fromPrefetchCache) this.cached.add(e.requestId)
    })
    cdp.on('Network.requestServedFromCache', (e) => this.cached.add(e.requestId))
    cdp.on('Network.loadingFinished', (e) => {
      if (this.cached.has(e.requestId)) return
      this.finished.push({
        type: this.types.get(e.requestId) ?? 'Other',
        bytes: e.encodedDataLength,
        what: this.described.get(e.requestId) ?? '?',
      })
    })
  }

  /** What finished since the previous call. */
  take(): Transfer {
    const taken = this.finished.splice(0)
    const byType: Transfer['byType'] = {}
    for (const { type, bytes } of taken) {
      byType[type] ??= { requests: 0, bytes: 0 }
      byType[type].requests++
      byType[type].bytes += bytes
    }
    return {
      requests: taken.length,
      bytes: taken.reduce((s, t) => s + t.bytes, 0),
      byType,
      assets: taken.filter((t) => !HTML_AND_DATA.includes(t.type)).map((t) => `${t.type} ${t.what}`),
    }
  }
}

async function throttledTab(context: BrowserContext, cacheDisabled: boolean): Promise<{ page: Page; ledger: Ledger }> {
  const page = await context.newPage()
  page.setDefaultTimeout(60_000)
  const cdp = await context.newCDPSession(page)
  const ledger = new Ledger(cdp)
  await cdp.send('Network.enable')
  await cdp.send('Network.emulateNetworkConditions', SLOW_4G)
  await cdp.send('Network.setCacheDisabled', { cacheDisabled })
  return { page, ledger }
}

/**
 * Installed in every page before its scripts: notes on the page's own clock
 * (performance.now(), from navigation start) when the "Log in" button and the
 * newest message first appear in the DOM, and when the first click happened,
 * so that the figures do not include Playwright's polling or round trips.
 */
const MARKS_SCRIPT = `(() => {
  const marks = (window.__benchMarks = {})
  const check = () => {
    if (marks.login === undefined) {
      for (const button of document.querySelectorAll('button')) {
        if (button.textContent.trim() === 'Log in') marks.login = performance.now()
      }
    }
    if (marks.list === undefined && document.body && document.body.textContent.includes(${JSON.stringify(NEWEST_MESSAGE)})) {
      marks.list = performance.now()
    }
  }
  new MutationObserver(check).observe(document, { subtree: true, childList: true, characterData: true })
  document.addEventListener('click', () => { if (marks.click === undefined) marks.click = performance.now() }, true)
})()`

type Marks = { login?: number; list?: number; click?: number }
const marks = (page: Page) => page.evaluate(() => (window as unknown as { __benchMarks: Marks }).__benchMarks)
function mark(m: Marks, name: keyof Marks): number {
  const value = m[name]
  if (value === undefined) throw new Error(`the page never noted "${name}"`)
  return value
}

async function oneRun(browser: Browser, webUrl: string): Promise<WebRun> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
  await context.addInitScript(MARKS_SCRIPT)
  try {
    // First visit: nothing cached.
    const first = await throttledTab(context, true)
    await first.page.goto(`${webUrl}/login`, { waitUntil: 'commit' })
    await first.page.getByRole('button', { name: 'Log in' }).waitFor()
    const loginUsableMs = mark(await marks(first.page), 'login')
    // Whatever the page still loads in the background is not part of "usable".
    const loginBytes = first.ledger.take()
    // Let it finish (the signupOpen query) before the login starts.
    await first.page.waitForLoadState('networkidle')
    first.ledger.take()

    await first.page.getByLabel('Email').fill(BENCH_USER.email)
    await first.page.getByLabel('Password').fill(BENCH_USER.password)
    await first.page.getByRole('button', { name: 'Log in' }).click()
    await first.page.getByText(NEWEST_MESSAGE, { exact: true }).waitFor()
    const afterLogin = await marks(first.page)
    const listUsableAfterLoginMs = mark(afterLogin, 'list') - mark(afterLogin, 'click')
    const loginToListBytes = first.ledger.take()
    await first.page.waitForLoadState('networkidle')
    await first.page.close()

    // Repeat visit: a new tab, the HTTP cache and the session cookie kept.
    const repeat = await throttledTab(context, false)
    await repeat.page.goto(`${webUrl}/`, { waitUntil: 'commit' })
    await repeat.page.getByText(NEWEST_MESSAGE, { exact: true }).waitFor()
    const repeatListUsableMs = mark(await marks(repeat.page), 'list')
    const repeatBytes = repeat.ledger.take()
    return { loginUsableMs, loginBytes, listUsableAfterLoginMs, loginToListBytes, repeatListUsableMs, repeatBytes }
  } finally {
    await context.close()
  }
}

export async function runWeb(opts: {
  webUrl: string
  runs: number
  chromiumPath: string
  log: (line: string) => void
}): Promise<WebFigures> {
  const browser = await chromium.launch({
    executablePath: opts.chromiumPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  })
  const runs: WebRun[] = []
  try {
    // One unthrottled visit first so that the servers' own first-request costs (lazy
    // module loading, Prisma's first query) are not billed to the network.
    const warm = await browser.newContext()
    const warmPage = await warm.newPage()
    await warmPage.goto(`${opts.webUrl}/login`)
    await warmPage.getByRole('button', { name: 'Log in' }).waitFor({ timeout: 60_000 })
    await warm.close()
    for (let i = 0; i < opts.runs; i++) {
      const run = await oneRun(browser, opts.webUrl)
      runs.push(run)
      opts.log(
        `  run ${i + 1}: login usable ${Math.round(run.loginUsableMs)} ms (${kb(run.loginBytes.bytes)} kB), ` +
          `list after login ${Math.round(run.listUsableAfterLoginMs)} ms (${kb(run.loginToListBytes.bytes)} kB), ` +
          `repeat ${Math.round(run.repeatListUsableMs)} ms (${kb(run.repeatBytes.bytes)} kB: ${describeTypes(run.repeatBytes.byType)})`
      )
    }
  } finally {
    await browser.close()
  }
  const m = (pick: (r: WebRun) => number) => round1(median(runs.map(pick)))
  const byRepeat = [...runs].sort((a, b) => a.repeatListUsableMs - b.repeatListUsableMs)
  const medianRepeat = byRepeat[Math.floor((byRepeat.length - 1) / 2)].repeatBytes
  return {
    runs,
    median: {
      loginUsableMs: m((r) => r.loginUsableMs),
      loginKb: m((r) => r.loginBytes.bytes / 1000),
      listUsableAfterLoginMs: m((r) => r.listUsableAfterLoginMs),
      loginToListKb: m((r) => r.loginToListBytes.bytes / 1000),
      repeatListUsableMs: m((r) => r.repeatListUsableMs),
      repeatKb: m((r) => r.repeatBytes.bytes / 1000),
    },
    repeatTypes: medianRepeat.byType,
    repeatAssets: medianRepeat.assets,
  }
}

const kb = (bytes: number) => (bytes / 1000).toFixed(1)

function describeTypes(byType: Transfer['byType']): string {
  return (
    Object.entries(byType)
      .map(([type, t]) => `${type} ${t.requests}× ${kb(t.bytes)} kB`)
      .join(', ') || 'nothing'
  )
}

export const WEB_TARGETS = { loginUsableMs: 2500, listUsableAfterLoginMs: 3500, loginKb: 300, repeatListUsableMs: 1000 }

/** Only the HTML and data may come over the network on a repeat visit. */
export const repeatOnlyHtmlAndData = (byType: Transfer['byType']) =>
  Object.keys(byType).every((type) => HTML_AND_DATA.includes(type))

export function webMarkdown(figures: WebFigures, previous?: { date: string; commit?: string; figures: WebFigures }) {
  const now = figures.median
  const before = previous?.figures.median
  const col = (value: number | undefined, unit: string) => (value === undefined ? '–' : `${value} ${unit}`)
  const verdict = (ok: boolean) => (ok ? 'met' : '**missed**')
  const rows: [string, keyof WebFigures['median'], string, number | undefined][] = [
    ['first visit: login form usable', 'loginUsableMs', 'ms', WEB_TARGETS.loginUsableMs],
    ['first visit: transferred until then', 'loginKb', 'kB', WEB_TARGETS.loginKb],
    [
      'first visit: message list usable after the login click',
      'listUsableAfterLoginMs',
      'ms',
      WEB_TARGETS.listUsableAfterLoginMs,
    ],
    ['first visit: transferred from the click to the list', 'loginToListKb', 'kB', undefined],
    ['repeat visit: message list usable', 'repeatListUsableMs', 'ms', WEB_TARGETS.repeatListUsableMs],
    ['repeat visit: transferred', 'repeatKb', 'kB', undefined],
  ]
  const onlyHtmlAndData = repeatOnlyHtmlAndData(figures.repeatTypes)
  return [
    `Chromium (Debian's) through playwright-core, CDP Slow 4G (150 ms RTT, 1.6 Mbit/s down, 750 kbit/s up), first`,
    `visit with the HTTP cache disabled, repeat visit in a new tab with the cache and session kept; medians of`,
    `${figures.runs.length} runs.${previous ? ` Previous figures: ${previous.date}${previous.commit ? ` at ${previous.commit}` : ''}.` : ''}`,
    ``,
    `| | previous | now | target | |`,
    `|---|---:|---:|---:|---|`,
    ...rows.map(([label, key, unit, target]) => {
      const ok = target === undefined ? undefined : now[key] <= target
      return `| ${label} | ${col(before?.[key], unit)} | ${col(now[key], unit)} | ${target === undefined ? '' : `≤ ${target} ${unit}`} | ${ok === undefined ? '' : verdict(ok)} |`
    }),
    ``,
    `Repeat visit over the network (median run): ${describeTypes(figures.repeatTypes)} — ${
      onlyHtmlAndData ? 'only HTML and data: target met' : '**more than HTML and data: target missed**'
    }.${figures.repeatAssets?.length ? ` Besides them: ${figures.repeatAssets.join(', ')}.` : ''}`,
    ...(previous ? [``, `Previous repeat visit: ${describeTypes(previous.figures.repeatTypes)}.`] : []),
    ``,
    `| run | login usable | kB | list after login | kB | repeat | kB |`,
    `|---:|---:|---:|---:|---:|---:|---:|`,
    ...figures.runs.map(
      (r, i) =>
        `| ${i + 1} | ${Math.round(r.loginUsableMs)} ms | ${kb(r.loginBytes.bytes)} | ${Math.round(r.listUsableAfterLoginMs)} ms | ${kb(
          r.loginToListBytes.bytes
        )} | ${Math.round(r.repeatListUsableMs)} ms | ${kb(r.repeatBytes.bytes)} |`
    ),
  ]
}
