import { act, fireEvent, render, screen, waitFor } from '@redwoodjs/testing/web'

import { standard } from 'src/components/Inbox/InboxCell/InboxCell.mock'
import { TYPING_PAUSE_MS } from 'src/lib/useDebouncedValue'

import InboxPage from './InboxPage'

type Asked = { search?: string | null; unansweredOnly?: boolean | null; cursor?: string | null }

/** Every InboxQuery the page sends, with its variables. */
function recordQueries() {
  const asked: Asked[] = []
  mockGraphQLQuery('InboxQuery', (variables) => {
    asked.push(variables)
    return standard()
  })
  return asked
}

const searchBox = () => screen.getByRole('searchbox', { name: 'Search by number or name' })
const unanswered = () => screen.getByRole('checkbox', { name: 'Unanswered only' })

beforeEach(() => window.history.replaceState({}, '', '/inbox'))
afterEach(() => jest.useRealTimers())

describe('InboxPage', () => {
  it('reads its search and filter from the URL, so a reload shows the same conversations', async () => {
    window.history.replaceState({}, '', '/inbox?q=555+0123&unanswered=1')
    const asked = recordQueries()
    render(<InboxPage />)
    await waitFor(() => expect(asked.length).toBeGreaterThan(0))
    expect(asked[0]).toMatchObject({ search: '555 0123', unansweredOnly: true })
    expect(searchBox()).toHaveValue('555 0123')
    expect(unanswered()).toBeChecked()
  })

  it("takes the longest search from the api's searchLimits, like every list's search", async () => {
    recordQueries()
    mockGraphQLQuery('SearchLimitsQuery', () => ({
      searchLimits: { __typename: 'SearchLimits', minLength: 3, maxLength: 7 },
    }))
    render(<InboxPage />)
    await waitFor(() => expect(searchBox()).toHaveAttribute('maxLength', '7'))
  })

  it('puts "unanswered only" in the URL, and Back takes it away again', async () => {
    const asked = recordQueries()
    render(<InboxPage />)
    fireEvent.click(unanswered())
    await waitFor(() => expect(window.location.search).toBe('?unanswered=1'))
    await waitFor(() => expect(asked[asked.length - 1].unansweredOnly).toBe(true))
    act(() => window.history.back())
    await waitFor(() => expect(window.location.search).toBe(''))
    await waitFor(() => expect(unanswered()).not.toBeChecked())
    await waitFor(() => expect(asked[asked.length - 1].unansweredOnly).toBe(false))
  })

  it('searches once per pause in typing, not once per keystroke, and keeps the search in the URL', async () => {
    jest.useFakeTimers()
    const asked = recordQueries()
    render(<InboxPage />)
    await waitFor(() => expect(asked).toHaveLength(1))
    expect(asked[0].search).toBeNull()
    // Six keystrokes, each well inside the pause: the URL and the api see none of them yet.
    for (const text of ['5', '55', '555', '555 ', '555 0', '555 01']) {
      fireEvent.change(searchBox(), { target: { value: text } })
      act(() => jest.advanceTimersByTime(TYPING_PAUSE_MS / 3))
    }
    expect(window.location.search).toBe('')
    expect(asked).toHaveLength(1)
    // The pause: one request, for what was typed last.
    act(() => jest.advanceTimersByTime(TYPING_PAUSE_MS))
    await waitFor(() => expect(asked).toHaveLength(2))
    expect(window.location.search).toBe('?q=555+01')
    expect(asked[1].search).toBe('555 01')
    // Long after: nothing more is asked.
    act(() => jest.advanceTimersByTime(10 * TYPING_PAUSE_MS))
    expect(asked.map((v) => v.search)).toEqual([null, '555 01'])
    // A pause replaced the URL's entry rather than adding one: Back leaves the inbox's first entry behind.
    const entries = window.history.length
    fireEvent.change(searchBox(), { target: { value: '555 0123' } })
    act(() => jest.advanceTimersByTime(TYPING_PAUSE_MS))
    await waitFor(() => expect(asked).toHaveLength(3))
    expect(window.location.search).toBe('?q=555+0123')
    expect(window.history.length).toBe(entries)
  })
})
