/**
 * Serves the real /sinchCallbacks function over HTTP for tests: a node:http
 * server that hands each request to the Redwood function the way the api
 * server does, so a test posts real bytes with real signature headers. It
 * serves /api/mediaPublic too, so the sandbox can fetch outbound media the
 * way Sinch does.
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'

import type { APIGatewayProxyEvent } from 'aws-lambda'

import { handler as mediaPublic } from 'src/functions/mediaPublic'
import { handler } from 'src/functions/sinchCallbacks'
import { signSinchCallback } from 'src/lib/sinchSignature'

function eventOf(req: http.IncomingMessage, body: Buffer): APIGatewayProxyEvent {
  const url = new URL(req.url ?? '/', 'http://placeholder')
  return {
    httpMethod: req.method ?? 'GET',
    path: url.pathname,
    headers: req.headers as Record<string, string>,
    multiValueHeaders: {},
    queryStringParameters: url.search ? Object.fromEntries(url.searchParams) : null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    body: body.toString('utf8'),
    isBase64Encoded: false,
    resource: url.pathname,
    requestContext: {
      requestId: `test-${Math.random()}`,
      identity: { sourceIp: req.socket.remoteAddress },
    } as APIGatewayProxyEvent['requestContext'],
  }
}

export async function startCallbackServer() {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', async () => {
      const event = eventOf(req, Buffer.concat(chunks))
      const result = (
        event.path.endsWith('/mediaPublic') ? await mediaPublic(event) : await handler(event, {} as never)
      ) as { statusCode: number; headers?: object; body: string; isBase64Encoded?: boolean }
      res.writeHead(result.statusCode, result.headers as http.OutgoingHttpHeaders)
      res.end(result.isBase64Encoded ? Buffer.from(result.body, 'base64') : result.body)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/sinchCallbacks`
  return {
    url,
    /** Posts a body signed with `secret` as Sinch signs it; resolves with the status and the parsed answer. */
    async post(body: string, secret: string): Promise<{ status: number; json: Record<string, unknown> }> {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...signSinchCallback(secret, body) },
        body,
      })
      return { status: res.status, json: (await res.json()) as Record<string, unknown> }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.()
        server.close(() => resolve())
      }),
  }
}
