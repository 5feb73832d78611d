import { createLogger } from '@redwoodjs/api/logger'

/**
 * `?token=…` (the callback URL's secret with SINCH_CALLBACK_AUTH=token)
 * masked in a finished log line. Applied to every line the api writes —
 * ours, Redwood's and fastify's request logs alike — so no code path has to
 * remember it.
 */
export function maskTokensInLogLine(line: string): string {
  return line.includes('token=') ? line.replace(/([?&]token=)[^&#"\s\\]*/gi, '$1…') : line
}

const maskedStdout: NonNullable<Parameters<typeof createLogger>[0]['destination']> = {
  write: (line: string) => {
    process.stdout.write(maskTokensInLogLine(line))
  },
}

/**
 * Redwood's logger (pino, level from LOG_LEVEL), writing to stdout through
 * maskTokensInLogLine.
 */
export const logger = createLogger({ destination: maskedStdout })
