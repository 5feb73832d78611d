/**
 * The reference the callback function is measured against: node:http, the
 * same HMAC-SHA256 check, and one INSERT ... ON CONFLICT DO NOTHING via pg
 * (pool of 10) into the same database. Nothing else: no framework, no ORM,
 * no nonce table, no callback log, no status update.
 *   tsx bench/bareHandler.ts <port> <databaseUrl> <secret>
 */
import crypto from 'node:crypto'
import http from 'node:http'

import pg from 'pg'

const [port, databaseUrl, secret] = process.argv.slice(2)
const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 })

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = []
  req.on('data', (c: Buffer) => chunks.push(c))
  req.on('end', async () => {
    const body = Buffer.concat(chunks).toString('utf8')
    const nonce = String(req.headers['x-sinch-webhook-signature-nonce'] ?? '')
    const timestamp = String(req.headers['x-sinch-webhook-signature-timestamp'] ?? '')
    const expected = crypto.createHmac('sha256', secret).update(`${body}.${nonce}.${timestamp}`).digest()
    const given = Buffer.from(String(req.headers['x-sinch-webhook-signature'] ?? ''), 'base64')
    if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) {
      res.writeHead(401).end()
      return
    }
    try {
      const r = JSON.parse(body)
      await pool.query(
        `INSERT INTO bench_bare_report (dedupe_key, payload) VALUES ($1, $2) ON CONFLICT (dedupe_key) DO NOTHING`,
        [`${r.batch_id}:${r.recipient}:${r.status}:${r.code}:${r.at}`, body]
      )
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"accepted"}')
    } catch {
      res.writeHead(503).end()
    }
  })
})
server.listen(Number(port), '127.0.0.1', () => console.log(`bare handler on ${port}`))
process.on('SIGTERM', () => server.close(() => pool.end().then(() => process.exit(0))))
