/**
 * The api's background runner: a task run every `intervalMs` in this process
 * (started from api/src/server.ts), never overlapping itself here, its
 * failures logged and retried at the next tick. It keeps nothing that
 * correctness depends on: what keeps several api instances apart is in
 * Postgres (reconciliation claims rows with SKIP LOCKED, retention holds an
 * advisory lock), so every instance may run the same tasks.
 */
import { logger } from './logger'

export type BackgroundTask = { stop: () => void; runNow: () => Promise<void> }

export function startBackgroundTask(
  name: string,
  intervalMs: number,
  task: () => Promise<unknown>,
  details: Record<string, unknown> = {}
): BackgroundTask {
  let running = false
  const runNow = async () => {
    if (running) return
    running = true
    try {
      await task()
    } catch (error) {
      logger.error({ err: error, task: name }, `${name} failed; the next run will try again`)
    } finally {
      running = false
    }
  }
  if (intervalMs <= 0) return { stop: () => {}, runNow }
  const timer = setInterval(() => void runNow(), intervalMs)
  timer.unref()
  logger.info({ task: name, everySeconds: intervalMs / 1000, ...details }, `${name} started`)
  return { stop: () => clearInterval(timer), runNow }
}
