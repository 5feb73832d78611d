import { act, render, screen, waitFor } from '@redwoodjs/testing/web'
import { useQuery } from '@redwoodjs/web'

import { useLiveEvents, type LiveTopic } from './useLiveEvents'

type Listener = (e: { data: string }) => void
const CONNECTING = 0
const OPEN = 1
const CLOSED = 2

/** A stand-in for the browser's EventSource that the test drives. */
type Fake = {
  url: string
  readyState: number
  onopen: (() => void) | null
  onerror: (() => void) | null
  listeners: Record<string, Listener[]>
  addEventListener: (type: string, fn: Listener) => void
  close: () => void
  open: () => void
  emit: (data: object) => void
  drop: () => void
}
const sources: Fake[] = []

function FakeEventSource(this: Fake, url: string) {
  this.url = url
  this.readyState = CONNECTING
  this.onopen = null
  this.onerror = null
  this.listeners = {}
  this.addEventListener = (type, fn) => void (this.listeners[type] ??= []).push(fn)
  this.close = () => void (this.readyState = CLOSED)
  this.open = () => {
    this.readyState = OPEN
    this.onopen?.()
  }
  this.emit = (data) => (this.listeners.change ?? []).forEach((fn) => fn({ data: JSON.stringify(data) }))
  this.drop = () => {
    this.readyState = CONNECTING
    this.onerror?.()
  }
  sources.push(this)
}
Object.assign(FakeEventSource, { CONNECTING, OPEN, CLOSED })

// Any query of the schema will do: the mock below answers it with a counter.
const WATCHED = gql`
  query LiveWatchedQuery {
    storageRetention {
      callbackDays
    }
  }
`

const View = ({ topics }: { topics: LiveTopic[] }) => {
  const { data } = useQuery(WATCHED)
  const live = useLiveEvents(topics, [WATCHED], { minIntervalMs: 0 })
  return (
    <p>
      {live} answer {data?.storageRetention?.callbackDays}
    </p>
  )
}

describe('useLiveEvents', () => {
  let asked = 0
  beforeEach(() => {
    asked = 0
    ;(globalThis as unknown as { EventSource: unknown }).EventSource = FakeEventSource
    mockGraphQLQuery('LiveWatchedQuery', () => ({ storageRetention: { callbackDays: ++asked } }))
  })

  it('refetches the named query on a change it watches, not on others, and catches up when the stream reopens', async () => {
    render(<View topics={['message:abc']} />)
    await waitFor(() => expect(screen.getByText(/answer 1/)).toBeInTheDocument())
    const source = sources[sources.length - 1]
    expect(source.url).toMatch(/\/liveEvents$/)
    act(() => source.open())
    await waitFor(() => expect(screen.getByText(/live answer 2/)).toBeInTheDocument())

    act(() => source.emit({ m: ['other'] }))
    act(() => source.emit({ c: 1 }))
    await new Promise((r) => setTimeout(r, 50))
    expect(asked).toBe(2)

    act(() => source.emit({ m: ['other', 'abc'] }))
    await waitFor(() => expect(screen.getByText(/answer 3/)).toBeInTheDocument())

    act(() => source.drop())
    await waitFor(() => expect(screen.getByText(/connecting answer 3/i)).toBeInTheDocument())
    act(() => source.open())
    await waitFor(() => expect(screen.getByText(/live answer 4/)).toBeInTheDocument())
  })

  it('a change while the view’s first load is still on its way is not lost in that load', async () => {
    // The first answer is slow: a change announced meanwhile must be fetched anew, not merged into the request in
    // flight (its answer may have been read before the change).
    mockGraphQLQuery('LiveWatchedQuery', (_vars, { ctx }) => {
      ctx.delay(asked === 0 ? 300 : 0)
      return { storageRetention: { callbackDays: ++asked } }
    })
    render(<View topics={['message:abc']} />)
    const source = sources[sources.length - 1]
    act(() => source.emit({ m: ['abc'] }))
    await waitFor(() => expect(screen.getByText(/answer 2/)).toBeInTheDocument())
    // The slow first answer, arriving after, does not put the older state back.
    await new Promise((r) => setTimeout(r, 500))
    expect(screen.getByText(/answer 2/)).toBeInTheDocument()
    expect(asked).toBe(2)
  })

  it('"read" (this user’s own read state) refetches on its own event, not on opt-outs, messages or replies', async () => {
    render(<View topics={['read']} />)
    await waitFor(() => expect(screen.getByText(/answer 1/)).toBeInTheDocument())
    const source = sources[sources.length - 1]
    act(() => source.open())
    await waitFor(() => expect(screen.getByText(/live answer 2/)).toBeInTheDocument())
    act(() => source.emit({ o: 1 }))
    act(() => source.emit({ m: ['abc'], i: [7] }))
    await new Promise((r) => setTimeout(r, 50))
    expect(asked).toBe(2)
    act(() => source.emit({ rd: 1 }))
    await waitFor(() => expect(screen.getByText(/answer 3/)).toBeInTheDocument())
  })

  it('shares one connection between views of a tab', async () => {
    render(
      <>
        <View topics={['messages']} />
        <View topics={['callbacks']} />
      </>
    )
    await waitFor(() => expect(sources.filter((s) => s.readyState !== CLOSED)).toHaveLength(1))
  })
})
