import { GroupCommitter, type FlushResult } from '../groupCommit'

const deferred = () => {
  let resolve!: () => void
  const promise = new Promise<void>((r) => (resolve = r))
  return { promise, resolve }
}

/**
 * A committer of two flush slots whose flushes each wait for their gate: `started` lists the batches in the order
 * their flushes started, `gates[k]` ends the k-th.
 */
function gatedCommitter(options: { maxWaitBesideMs?: number }) {
  const started: number[][] = []
  const gates: Array<() => void> = []
  const run = (items: number[]) =>
    new Promise<void>((resolve) => {
      started.push(items)
      gates.push(resolve)
    })
  const c = new GroupCommitter<number, number>(
    async (items) => (await run(items), items.map((i) => ({ ok: true, value: i }))),
    async (i) => (await run([i]), i),
    { maxBatch: 10, maxConcurrentFlushes: 2, ...options }
  )
  return { c, started, gates }
}

const tick = () => new Promise((r) => setImmediate(r))

describe('GroupCommitter', () => {
  it('flushes a lone item at once, on its own', async () => {
    const batches: number[][] = []
    const singles: number[] = []
    const c = new GroupCommitter<number, number>(
      async (items) => (batches.push(items), items.map((i) => ({ ok: true, value: i * 2 }))),
      async (i) => (singles.push(i), i * 2),
      { maxBatch: 10, maxConcurrentFlushes: 1 }
    )
    await expect(c.submit(21)).resolves.toBe(42)
    expect(singles).toEqual([21])
    expect(batches).toEqual([])
  })

  it('groups what arrives while a flush runs, and answers each only after its own flush', async () => {
    const gate = deferred()
    const batches: number[][] = []
    const c = new GroupCommitter<number, string>(
      async (items) => {
        batches.push(items)
        return items.map(
          (i): FlushResult<string> =>
            i === 3 ? { ok: false, error: new Error('replay') } : { ok: true, value: `ok ${i}` }
        )
      },
      async (i) => {
        await gate.promise
        return `single ${i}`
      },
      { maxBatch: 2, maxConcurrentFlushes: 1 }
    )
    const first = c.submit(0)
    const rest = [1, 2, 3, 4, 5].map((i) => c.submit(i))
    let settled = 0
    rest.forEach((p) =>
      p.then(
        () => settled++,
        () => settled++
      )
    )
    await new Promise((r) => setTimeout(r, 20))
    expect(settled).toBe(0) // nothing answered while the first flush holds the line
    gate.resolve()
    await expect(first).resolves.toBe('single 0')
    await expect(rest[0]).resolves.toBe('ok 1')
    await expect(rest[2]).rejects.toThrow('replay')
    await expect(Promise.all([rest[1], rest[3]])).resolves.toEqual(['ok 2', 'ok 4'])
    // The last one was alone in its flush: stored on its own.
    await expect(rest[4]).resolves.toBe('single 5')
    expect(batches).toEqual([
      [1, 2],
      [3, 4],
    ])
  })

  it('starts a flush beside a running one only once the queue holds as many items as the batch started last', async () => {
    const { c, started, gates } = gatedCommitter({})
    const answers = [0, 1, 2, 3].map((i) => c.submit(i))
    // A lone item goes at once, and a second beside it (the batch started last had one item); 2 and 3 wait.
    expect(started).toEqual([[0], [1]])
    gates[0]()
    await tick()
    expect(started).toEqual([[0], [1], [2, 3]])
    gates[1]()
    await tick()
    // Beside the running [2, 3], a lone 4 waits until a second item does.
    answers.push(c.submit(4))
    await tick()
    expect(started).toEqual([[0], [1], [2, 3]])
    answers.push(c.submit(5))
    expect(started).toEqual([[0], [1], [2, 3], [4, 5]])
    // Fewer items than that go as soon as no flush runs.
    answers.push(c.submit(6))
    gates[2]()
    await tick()
    expect(started).toEqual([[0], [1], [2, 3], [4, 5]])
    gates[3]()
    await tick()
    expect(started).toEqual([[0], [1], [2, 3], [4, 5], [6]])
    gates[4]()
    await expect(Promise.all(answers)).resolves.toEqual([0, 1, 2, 3, 4, 5, 6])
  })

  it('lets items that waited maxWaitBesideMs beside a held-up flush, from when a slot freed, go in a flush of their own', async () => {
    // Real time (the api build's setTimeout is core-js's, which Jest's fake timers do not replace), with a wait
    // long enough that a stall of the test process cannot pass for it.
    const maxWaitBesideMs = 1000
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
    const { c, started, gates } = gatedCommitter({ maxWaitBesideMs })
    const answers = [0, 1, 2, 3, 4].map((i) => c.submit(i))
    gates[1]()
    await tick()
    expect(started).toEqual([[0], [1], [2, 3, 4]])
    // [0] is held (a lock, say). 5 arrives while both slots are busy, and waits longer than maxWaitBesideMs for one.
    answers.push(c.submit(5))
    await sleep(maxWaitBesideMs + 200)
    expect(started).toEqual([[0], [1], [2, 3, 4]])
    gates[2]() // a slot frees; the batch started last had three items, so 5 waits beside [0] for more, from now
    await tick()
    expect(started).toEqual([[0], [1], [2, 3, 4]])
    await sleep(maxWaitBesideMs + 500)
    expect(started).toEqual([[0], [1], [2, 3, 4], [5]])
    gates[3]()
    await tick()
    gates[0]()
    await expect(Promise.all(answers)).resolves.toEqual([0, 1, 2, 3, 4, 5])
  })

  it('when a whole batch fails, stores each item on its own so one bad item fails alone', async () => {
    const gate = deferred()
    const c = new GroupCommitter<number, number>(
      async () => {
        throw new Error('deadlock detected')
      },
      async (i) => {
        await gate.promise
        if (i === 2) throw new Error('bad item')
        return i
      },
      { maxBatch: 10, maxConcurrentFlushes: 1 }
    )
    const lone = c.submit(0)
    const grouped = [1, 2, 3].map((i) => c.submit(i))
    gate.resolve()
    await expect(lone).resolves.toBe(0)
    await expect(grouped[0]).resolves.toBe(1)
    await expect(grouped[1]).rejects.toThrow('bad item')
    await expect(grouped[2]).resolves.toBe(3)
  })

  it('when a whole batch fails for a transient reason (database busy), fails every item at once without retrying each', async () => {
    const gate = deferred()
    const singles: number[] = []
    const busy = Object.assign(new Error('canceling statement due to lock timeout'), { code: '55P03' })
    const c = new GroupCommitter<number, number>(
      async () => {
        throw busy
      },
      async (i) => {
        singles.push(i)
        await gate.promise
        return i
      },
      { maxBatch: 10, maxConcurrentFlushes: 1, isTransient: (e) => (e as { code?: string }).code === '55P03' }
    )
    const lone = c.submit(0)
    const grouped = [1, 2, 3].map((i) => c.submit(i))
    gate.resolve()
    await expect(lone).resolves.toBe(0)
    for (const p of grouped) await expect(p).rejects.toBe(busy)
    expect(singles).toEqual([0]) // no item of the failed batch was stored on its own
  })

  it('fails an item still queued when maxQueueMs passes, and tells a flush the deadline of its oldest item', async () => {
    const gate = deferred()
    const deadlines: (number | undefined)[] = []
    const busy = new Error('database busy')
    const c = new GroupCommitter<number, number>(
      async (items, deadline) => (deadlines.push(deadline), items.map((i) => ({ ok: true, value: i }))),
      async (i, deadline) => {
        deadlines.push(deadline)
        await gate.promise
        return i
      },
      { maxBatch: 10, maxConcurrentFlushes: 1, maxQueueMs: 50, queueTimeoutError: () => busy }
    )
    const submittedAt = Date.now()
    const inFlight = c.submit(0) // takes the only flush slot and waits
    const queued = [1, 2].map((i) => c.submit(i))
    for (const p of queued) await expect(p).rejects.toBe(busy)
    expect(Date.now() - submittedAt).toBeGreaterThanOrEqual(45)
    // The item already in a flush is never failed early: it gets what the flush says.
    gate.resolve()
    await expect(inFlight).resolves.toBe(0)
    expect(deadlines[0]).toBeGreaterThanOrEqual(submittedAt + 50)
    expect(deadlines[0]).toBeLessThan(submittedAt + 1000)
    // A queue that moves in time is unaffected.
    await expect(c.submit(3)).resolves.toBe(3)
  })
})
