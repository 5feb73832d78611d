/**
 * Group commit: callers submit items; items that arrive while earlier
 * flushes are running are flushed together by the next one. A lone item is
 * flushed at once (nothing waits on a timer while no flush runs), so it adds
 * no latency when idle and amortises round trips and commits under load.
 *
 * More than one flush may run at once (maxConcurrentFlushes), but a further
 * one starts only once the queue holds as many items as the flush started
 * last. A burst still fills two flushes at once (one executing while the
 * other commits); a steady load is not split into ever smaller batches, each
 * paying a statement and a commit for a few items (README, Performance: at
 * 32 connections, less CPU per callback and more callbacks per second than
 * starting the second flush whenever a slot was free). Items wait so beside a
 * running flush, with a slot free, at most maxWaitBesideMs: a flush held up
 * (by a lock on another batch, say) does not hold up the items behind it.
 *
 * Nothing is acknowledged before its flush resolves: a crash loses only
 * requests that were never answered, which the sender retries.
 *
 * The wait is bounded (maxQueueMs): an item still queued when its time is up
 * is failed with queueTimeoutError() — the database too slow to keep up is an
 * answer the sender can retry, not a request that hangs. A flush is told the
 * deadline of its oldest item, so that waiting for a connection counts
 * against the same budget. An item already in a flush is never failed early:
 * its fate is whatever the database says.
 */
import { observeGroupCommitBatch } from './metrics'

export type FlushResult<T> = { ok: true; value: T } | { ok: false; error: unknown }

type Queued<In, Out> = { item: In; resolve: (v: Out) => void; reject: (e: unknown) => void; deadline: number }

export class GroupCommitter<In, Out> {
  private queue: Queued<In, Out>[] = []
  private running = 0
  /** The size of the batch started last: what a flush beside a running one waits to gather. */
  private lastBatchSize = 0
  private sweep: NodeJS.Timeout | undefined
  /** Since when items have waited beside a running flush with a slot free (undefined: they do not). */
  private waitingBesideSince: number | undefined
  /** Wakes the queue once they have waited maxWaitBesideMs. */
  private besideTimer: NodeJS.Timeout | undefined

  constructor(
    /**
     * Stores a batch; returns one result per item, in order. Throws if the
     * whole batch failed. `deadline` (epoch ms, or undefined without
     * maxQueueMs): by when it should have had its database connection.
     */
    private readonly flushBatch: (items: In[], deadline?: number) => Promise<FlushResult<Out>[]>,
    /** Stores one item on its own: used to isolate the culprit when a batch fails. */
    private readonly flushOne: (item: In, deadline?: number) => Promise<Out>,
    private readonly options: {
      maxBatch: number
      maxConcurrentFlushes: number
      /**
       * A batch that failed this way (the database unreachable, or too busy to
       * grant a lock in time) fails every item at once: storing each on its
       * own would only wait as long again per item, and fan out to the pool.
       */
      isTransient?: (error: unknown) => boolean
      /** How long an item may wait in the queue and for its connection; unbounded without it. */
      maxQueueMs?: number
      /** The error an item gets when maxQueueMs passes while it is still queued. */
      queueTimeoutError?: () => unknown
      /**
       * How long items may wait beside a running flush, with a slot free,
       * for the queue to gather a batch's worth; then a further flush starts
       * for what is there (a flush held up does not hold up a light load).
       * Without it, they wait for the running flush.
       */
      maxWaitBesideMs?: number
    }
  ) {}

  submit(item: In): Promise<Out> {
    return new Promise<Out>((resolve, reject) => {
      const deadline = this.options.maxQueueMs === undefined ? Infinity : Date.now() + this.options.maxQueueMs
      this.queue.push({ item, resolve, reject, deadline })
      this.pump()
      this.armSweep()
    })
  }

  /** One timer for the whole queue: deadlines are in queue order (same maxQueueMs for every item). */
  private armSweep() {
    if (this.sweep || this.queue.length === 0 || this.options.maxQueueMs === undefined) return
    const wait = Math.max(0, this.queue[0].deadline - Date.now())
    this.sweep = setTimeout(() => {
      this.sweep = undefined
      const now = Date.now()
      let expired = 0
      while (expired < this.queue.length && this.queue[expired].deadline <= now) expired++
      const error = this.options.queueTimeoutError?.() ?? new Error('timed out waiting in the commit queue')
      for (const q of this.queue.splice(0, expired)) q.reject(error)
      this.armSweep()
    }, wait)
    this.sweep.unref?.()
  }

  private mayStartFlush(): boolean {
    if (this.queue.length === 0) return false
    if (this.running === 0) return true
    if (this.running >= this.options.maxConcurrentFlushes) return false
    if (this.queue.length >= Math.min(this.options.maxBatch, this.lastBatchSize)) return true
    const { maxWaitBesideMs } = this.options
    const since = this.waitingBesideSince
    return maxWaitBesideMs !== undefined && since !== undefined && Date.now() - since >= maxWaitBesideMs
  }

  /**
   * Items left beside a running flush with a slot free wait from now on (or
   * from when they began to), and the queue is looked at again when their
   * time is up. Counted from the slot's freeing, not from their arrival: with
   * both slots busy a while, a batch's worth still gathers once one frees.
   */
  private waitBeside() {
    const { maxWaitBesideMs, maxConcurrentFlushes } = this.options
    const waiting = this.queue.length > 0 && this.running > 0 && this.running < maxConcurrentFlushes
    if (!waiting || maxWaitBesideMs === undefined) {
      this.waitingBesideSince = undefined
      return
    }
    this.waitingBesideSince ??= Date.now()
    if (this.besideTimer) return
    const wait = Math.max(0, this.waitingBesideSince + maxWaitBesideMs - Date.now())
    this.besideTimer = setTimeout(() => {
      this.besideTimer = undefined
      this.pump()
    }, wait)
    this.besideTimer.unref?.()
  }

  private pump() {
    this.pumpOnce()
    this.waitBeside()
  }

  private pumpOnce() {
    while (this.mayStartFlush()) {
      const batch = this.queue.splice(0, this.options.maxBatch)
      observeGroupCommitBatch(batch.length)
      this.lastBatchSize = batch.length
      this.waitingBesideSince = undefined
      this.running++
      void this.flush(batch).finally(() => {
        this.running--
        this.pump()
      })
    }
  }

  private async flush(batch: Queued<In, Out>[]) {
    // The oldest item's deadline: the whole batch answers by then at the latest.
    const deadline = Number.isFinite(batch[0].deadline) ? batch[0].deadline : undefined
    if (batch.length === 1) {
      const [only] = batch
      await this.flushOne(only.item, deadline).then(only.resolve, only.reject)
      return
    }
    let results: FlushResult<Out>[]
    try {
      results = await this.flushBatch(
        batch.map((b) => b.item),
        deadline
      )
    } catch (error) {
      if (this.options.isTransient?.(error)) {
        batch.forEach((b) => b.reject(error))
        return
      }
      // One bad item must not fail its neighbours: store each on its own.
      // Each on its own, with the pool's own connection timeout: rare, and
      // the batch's deadline may have been spent by the attempt that failed.
      await Promise.all(batch.map((b) => this.flushOne(b.item).then(b.resolve, b.reject)))
      return
    }
    batch.forEach((b, i) => {
      const r = results[i]
      if (!r) b.reject(new Error('group commit returned no result for an item'))
      else if (r.ok) b.resolve(r.value)
      else b.reject(r.error)
    })
  }
}
