/**
 * A browser's live-events connection as the fault suite sees it: GET
 * /liveEvents with a session cookie, read as server-sent events, each change
 * timestamped on arrival.
 */
export type LiveEvent = { at: number; data: { m?: string[] | '*'; i?: number[] | '*'; c?: 1; r?: 1 } }

export type LiveStreamClient = {
  status: number
  events: LiveEvent[]
  /** Resolves with the first event (already received or to come) that `match` accepts, after `since`. */
  next: (match: (e: LiveEvent) => boolean, timeoutMs?: number) => Promise<LiveEvent>
  closed: Promise<void>
  close: () => void
}

export async function openLiveStream(url: string, cookie: string): Promise<LiveStreamClient> {
  const controller = new AbortController()
  const res = await fetch(`${url}/liveEvents`, { headers: { cookie }, signal: controller.signal })
  const events: LiveEvent[] = []
  const waiters = new Set<() => void>()
  let done: () => void = () => {}
  const closed = new Promise<void>((resolve) => (done = resolve))
  if (res.ok && res.body) {
    void (async () => {
      const decoder = new TextDecoder()
      let buffer = ''
      try {
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
          buffer += decoder.decode(chunk, { stream: true })
          let end: number
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end)
            buffer = buffer.slice(end + 2)
            const data = block.split('\n').find((l) => l.startsWith('data: '))
            if (block.includes('event: change') && data) {
              events.push({ at: performance.now(), data: JSON.parse(data.slice(6)) })
              waiters.forEach((w) => w())
            }
          }
        }
      } catch {
        // aborted or dropped
      }
      done()
    })()
  } else {
    await res.text().catch(() => '')
    done()
  }
  return {
    status: res.status,
    events,
    closed,
    close: () => controller.abort(),
    next: (match, timeoutMs = 5000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const found = events.find(match)
          if (found) {
            waiters.delete(check)
            clearTimeout(timer)
            resolve(found)
          }
        }
        const timer = setTimeout(() => {
          waiters.delete(check)
          reject(new Error('no matching live event in time'))
        }, timeoutMs)
        waiters.add(check)
        check()
      }),
  }
}
