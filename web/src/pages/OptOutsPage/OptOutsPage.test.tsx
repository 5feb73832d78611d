import { act, fireEvent, render, screen, waitFor } from '@redwoodjs/testing/web'

import { standard } from 'src/components/OptOuts/OptOutsCell/OptOutsCell.mock'
import { TYPING_PAUSE_MS } from 'src/lib/useDebouncedValue'

import OptOutsPage from './OptOutsPage'

/** Every OptOutsQuery the page sends, with its search. */
function recordSearches() {
  const asked: (string | null | undefined)[] = []
  mockGraphQLQuery('OptOutsQuery', (variables) => {
    asked.push(variables.search)
    return standard()
  })
  return asked
}

const searchBox = () => screen.getByRole('searchbox', { name: 'Search' })

beforeEach(() => window.history.replaceState({}, '', '/opt-outs'))
afterEach(() => jest.useRealTimers())

describe('OptOutsPage', () => {
  it('reads its search from the URL, so a reload shows the same numbers', async () => {
    window.history.replaceState({}, '', '/opt-outs?q=555')
    const asked = recordSearches()
    render(<OptOutsPage />)
    await waitFor(() => expect(asked.length).toBeGreaterThan(0))
    expect(asked[0]).toBe('555')
    expect(searchBox()).toHaveValue('555')
  })

  it('searches once per pause in typing, not once per keystroke, and keeps the search in the URL', async () => {
    jest.useFakeTimers()
    const asked = recordSearches()
    render(<OptOutsPage />)
    await waitFor(() => expect(asked).toHaveLength(1))
    for (const text of ['5', '55', '555', '5550']) {
      fireEvent.change(searchBox(), { target: { value: text } })
      act(() => jest.advanceTimersByTime(TYPING_PAUSE_MS / 3))
    }
    expect(asked).toHaveLength(1)
    act(() => jest.advanceTimersByTime(TYPING_PAUSE_MS))
    await waitFor(() => expect(asked).toHaveLength(2))
    expect(asked[1]).toBe('5550')
    expect(window.location.search).toBe('?q=5550')
  })
})
