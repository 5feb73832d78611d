/**
 * The Prometheus endpoint on its own port (METRICS_PORT, 0: none), bound to
 * METRICS_HOST (127.0.0.1 unless set): kept apart from the public api so a
 * firewall or the network policy can keep it private. GET /metrics answers
 * this instance's registry in the text format.
 */
import http from 'node:http'

import { logger } from './logger'
import { enableMetrics, registry } from './metrics'

export function startMetricsServer(port: number, host: string): http.Server | undefined {
  if (port <= 0) return undefined
  enableMetrics()
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '/').split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('only GET /metrics here\n')
      return
    }
    registry.metrics().then(
      (text) => res.writeHead(200, { 'Content-Type': registry.contentType, 'Cache-Control': 'no-store' }).end(text),
      (error) => {
        logger.warn({ err: error }, 'metrics scrape failed')
        res.writeHead(500, { 'Content-Type': 'text/plain' }).end('metrics unavailable\n')
      }
    )
  })
  server.on('error', (error) => logger.error({ err: error, port, address: host }, 'metrics endpoint could not listen'))
  server.listen(port, host, () => logger.info({ port, address: host }, 'metrics endpoint listening (GET /metrics)'))
  server.unref()
  return server
}
