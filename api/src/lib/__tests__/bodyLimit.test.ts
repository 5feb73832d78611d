import http from 'node:http'
import type { AddressInfo } from 'node:net'
import net from 'node:net'
import type { Readable } from 'node:stream'

import { limitBody } from '../bodyLimit'

const LIMIT = 16

/** A real HTTP server whose request bodies go through limitBody: it answers what it read, or 413. */
async function server() {
  const reads: string[] = []
  const s = http.createServer((req, res) => {
    limitBody(req.headers, req, LIMIT, (error, payload?: Readable) => {
      if (error) return void res.writeHead((error as Error & { statusCode: number }).statusCode).end()
      let body = ''
      payload!.on('data', (chunk) => (body += chunk))
      payload!.on('error', () => res.writeHead(413).end())
      payload!.on('end', () => {
        reads.push(body)
        res.writeHead(200).end(String(body.length))
      })
    })
  })
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve))
  return { port: (s.address() as AddressInfo).port, reads, close: () => new Promise((r) => s.close(r)) }
}

/** Writes raw bytes on a socket and returns everything the server answered. */
function raw(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.end(request))
    let answer = ''
    socket.on('data', (chunk) => (answer += chunk))
    socket.on('close', () => resolve(answer))
    socket.on('error', reject)
  })
}

describe('limitBody', () => {
  let s: Awaited<ReturnType<typeof server>>
  beforeAll(async () => (s = await server()))
  afterAll(() => s.close())

  it('a declared length within the limit passes the body as it is; above it is 413 before reading', async () => {
    const ok = await raw(s.port, 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello')
    expect(ok).toMatch(/^HTTP\/1.1 200/)
    expect(s.reads).toContain('hello')
    const big = await raw(
      s.port,
      `POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 17\r\nConnection: close\r\n\r\n${'x'.repeat(17)}`
    )
    expect(big).toMatch(/^HTTP\/1.1 413/)
  })

  it('bytes beyond the declared length never reach the body: Node reads them as the next request', async () => {
    const sent =
      `POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n${'y'.repeat(10)}` +
      `POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc`
    const answer = await raw(s.port, sent)
    expect(answer.match(/HTTP\/1.1 200/g)).toHaveLength(2)
    expect(s.reads.slice(-2)).toEqual(['y'.repeat(10), 'abc'])
  })

  it('a chunked body is counted as it arrives: within the limit it passes, beyond it is 413', async () => {
    const chunked = (parts: string[]) =>
      `POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n` +
      parts.map((p) => `${p.length.toString(16)}\r\n${p}\r\n`).join('') +
      '0\r\n\r\n'
    expect(await raw(s.port, chunked(['abc', 'defgh']))).toMatch(/^HTTP\/1.1 200/)
    expect(s.reads).toContain('abcdefgh')
    expect(await raw(s.port, chunked(['x'.repeat(10), 'x'.repeat(10)]))).toMatch(/^HTTP\/1.1 413/)
  })

  it('a request with both Content-Length and Transfer-Encoding is refused by Node before any hook', async () => {
    const answer = await raw(
      s.port,
      `POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n${'z'.repeat(40)}`
    )
    expect(answer).toMatch(/^HTTP\/1.1 400/)
    expect(s.reads.some((r) => r.includes('z'))).toBe(false)
  })
})
