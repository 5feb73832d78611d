/**
 * How the production build is served (scripts/webServer.ts behind `yarn rw
 * serve`): minified code, the build's brotli/gzip files chosen by
 * Accept-Encoding, hashed assets cached for a year and the HTML revalidated,
 * source maps kept off the wire, the api's answers compressed through the
 * proxy, and a first visit that does not download the dashboard's charts.
 * Raw HTTP (node:http, which never decompresses by itself) against the served
 * build, and Debian's Chromium for the first visit.
 */
import assert from 'node:assert/strict'
import fs from 'node:fs'
import http from 'node:http'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import zlib from 'node:zlib'

import type { Browser } from 'playwright-core'

import { BASE, launch } from './lib'

const DIST = path.resolve(__dirname, '..', 'dist')

type Answer = { status: number; headers: http.IncomingHttpHeaders; body: Buffer }

function request(
  urlPath: string,
  headers: Record<string, string> = {},
  method = 'GET',
  body?: string
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(new URL(urlPath, BASE), { method, headers }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }))
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end(body)
  })
}

/** The entry script and stylesheet index.html loads. */
function entryAssets(): { script: string; style: string } {
  const html = fs.readFileSync(path.join(DIST, 'index.html'), 'utf8')
  const script = html.match(/<script[^>]+src="(\/assets\/[^"]+\.js)"/)?.[1]
  const style = html.match(/<link[^>]+href="(\/assets\/[^"]+\.css)"/)?.[1]
  assert.ok(script && style, 'index.html names its entry script and stylesheet')
  return { script, style }
}

describe('serving the production build', () => {
  it('serves the entry script minified, as the build wrote it in brotli, gzip or plain, cached for a year', async () => {
    const { script } = entryAssets()
    const file = path.join(DIST, script)
    const plain = fs.readFileSync(file)
    const lines = plain.toString('utf8').split('\n').length
    assert.ok(plain.length / lines > 1000, `minified (${plain.length} bytes on ${lines} lines)`)

    const br = await request(script, { 'accept-encoding': 'gzip, deflate, br' })
    assert.equal(br.status, 200)
    assert.equal(br.headers['content-encoding'], 'br')
    assert.deepEqual(br.body, fs.readFileSync(`${file}.br`), 'the build-time brotli file, not a per-request one')
    assert.deepEqual(zlib.brotliDecompressSync(br.body), plain)
    assert.equal(br.headers['cache-control'], 'public, max-age=31536000, immutable')
    assert.match(String(br.headers.vary), /accept-encoding/i)

    const gzip = await request(script, { 'accept-encoding': 'gzip' })
    assert.equal(gzip.headers['content-encoding'], 'gzip')
    assert.deepEqual(zlib.gunzipSync(gzip.body), plain)

    const identity = await request(script)
    assert.equal(identity.headers['content-encoding'], undefined)
    assert.deepEqual(identity.body, plain)
    assert.equal(identity.headers['cache-control'], 'public, max-age=31536000, immutable')
  })

  it('has the HTML revalidated on every visit, and compressed', async () => {
    for (const page of ['/', '/login', '/messages/some-id']) {
      const answer = await request(page, { 'accept-encoding': 'br, gzip' })
      assert.equal(answer.status, 200, page)
      assert.match(String(answer.headers['content-type']), /^text\/html/, page)
      assert.equal(answer.headers['cache-control'], 'no-cache', page)
      assert.equal(answer.headers['content-encoding'], 'br', page)
      assert.match(zlib.brotliDecompressSync(answer.body).toString('utf8'), /<div id="redwood-app">/, page)
    }
    const missing = await request('/assets/no-such-chunk-123.js')
    assert.equal(missing.status, 404)
    assert.notEqual(missing.headers['cache-control'], 'public, max-age=31536000, immutable')
  })

  it('keeps the source maps it builds off the wire and out of the code', async () => {
    const { script } = entryAssets()
    assert.ok(fs.existsSync(path.join(DIST, `${script}.map`)), 'the build writes the source map')
    assert.doesNotMatch(fs.readFileSync(path.join(DIST, script), 'utf8'), /sourceMappingURL/)
    assert.equal((await request(`${script}.map`)).status, 404)
    // The router decodes %xx and ends the path at ";": those spellings reach the same file.
    for (const spelling of [`${script}.ma%70`, `${script}.%6Dap`, `${script}.map;x`, `${script}.map?x=1`])
      assert.equal((await request(spelling)).status, 404, spelling)
  })

  it('compresses the api answers it proxies', async () => {
    const answer = await request(
      '/api/graphql',
      { 'accept-encoding': 'br, gzip', 'content-type': 'application/json' },
      'POST',
      JSON.stringify({ query: '{ signupOpen }' })
    )
    assert.equal(answer.status, 200)
    assert.equal(answer.headers['content-encoding'], 'br')
    assert.match(String(answer.headers.vary), /accept-encoding/i)
    const json = JSON.parse(zlib.brotliDecompressSync(answer.body).toString('utf8'))
    assert.equal(typeof json.data.signupOpen, 'boolean')
  })

  describe('the first visit in a browser', () => {
    let browser: Browser | undefined
    before(async () => {
      browser = (await launch()).browser
    })
    after(async () => {
      await browser?.close()
    })

    it('loads the login page without the dashboard, everything compressed', async () => {
      const page = await browser!.newPage()
      const assets: { url: string; encoding?: string }[] = []
      page.on('response', async (response) => {
        const url = new URL(response.url())
        if (url.pathname.startsWith('/assets/')) {
          assets.push({
            url: url.pathname,
            encoding: (await response.headerValue('content-encoding').catch(() => null)) ?? undefined,
          })
        }
      })
      await page.goto(`${BASE}/login`)
      await page.getByRole('button', { name: 'Log in' }).waitFor()
      await page.waitForLoadState('networkidle')
      assert.ok(
        assets.some((a) => /\/LoginPage-/.test(a.url)),
        'the login page chunk is loaded'
      )
      assert.deepEqual(
        assets.filter((a) => /DashboardPage/.test(a.url)),
        [],
        'the dashboard chunk (the chart library) is not'
      )
      for (const asset of assets.filter(
        (a) => /\.(js|css)$/.test(a.url) && fs.statSync(path.join(DIST, a.url)).size > 1024
      )) {
        assert.equal(asset.encoding, 'br', `${asset.url} is sent compressed`)
      }
      await page.close()
    })
  })
})
