/**
 * Group commit: callers submit items; items that arrive while earlier
 * flushes are running are flushed together by the next one. Nothing waits on
 * a timer — a lone item is flushed at once — so it adds no latency when idle
 * and amortises round trips and commits under load.
 *
 * Nothing is acknowledged before its flush resolves: a crash loses only
 * requests that were never answered, which the sender retries.
 */
import { observeGroupCommitBatch } from './metrics'

export type FlushResult<T> = { ok: true; value: T } | { ok: false; error: unknown }

export class GroupCommitter<In, Out> {
  private queue: { item: In; resolve: (v: Out) => void; reject: (e: unknown) => void }[] = []
  private running = 0

  constructor(
    /** Stores a batch; returns one result per item, in order. Throws if the whole batch failed. */
    private readonly flushBatch: (items: In[]) => Promise<FlushResult<Out>[]>,
    /** Stores one item on its own: used to isolate the culprit when a batch fails. */
    private readonly flushOne: (item: In) => Promise<Out>,
    private readonly options: {
      maxBatch: number
      maxConcurrentFlushes: number
      /**
       * A batch that failed this way (the database unreachable, or too busy to
       * grant a lock in time) fails every item at once: storing each on its
       * own would only wait as long again per item, and fan out to the pool.
       */
      isTransient?: (error: unknown) => boolean
    }
  ) {}

  submit(item: In): Promise<Out> {
    return new Promise<Out>((resolve, reject) => {
      this.queue.push({ item, resolve, reject })
      this.pump()
    })
  }

  private pump() {
    while (this.running < this.options.maxConcurrentFlushes && this.queue.length > 0) {
      const batch = this.queue.splice(0, this.options.maxBatch)
      observeGroupCommitBatch(batch.length)
      this.running++
      void this.flush(batch).finally(() => {
        this.running--
        this.pump()
      })
    }
  }

  private async flush(batch: GroupCommitter<In, Out>['queue']) {
    if (batch.length === 1) {
      const [only] = batch
      await this.flushOne(only.item).then(only.resolve, only.reject)
      return
    }
    let results: FlushResult<Out>[]
    try {
      results = await this.flushBatch(batch.map((b) => b.item))
    } catch (error) {
      if (this.options.isTransient?.(error)) {
        batch.forEach((b) => b.reject(error))
        return
      }
      // One bad item must not fail its neighbours: store each on its own.
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
