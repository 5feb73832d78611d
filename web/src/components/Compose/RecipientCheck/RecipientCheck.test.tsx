import { render, screen } from '@redwoodjs/testing/web'

import RecipientCheck from './RecipientCheck'

describe('RecipientCheck', () => {
  it('explains the input format while nothing is entered', () => {
    render(<RecipientCheck entries="   " />)
    expect(screen.getByText('One number per line, or separated by commas. Up to 1,000.')).toBeInTheDocument()
  })

  it('shows the counts and each invalid entry with its reason', async () => {
    const asked: unknown[] = []
    mockGraphQLQuery('CheckRecipientsQuery', (variables) => {
      asked.push(variables)
      return {
        checkRecipients: {
          __typename: 'RecipientCheck',
          valid: ['+46701234567', '+46709876543'],
          duplicatesRemoved: 1,
          invalid: [
            { __typename: 'RecipientProblem', input: '12ab', reason: 'Not a phone number' },
            { __typename: 'RecipientProblem', input: '0701234567', reason: 'Missing country code (start with +)' },
          ],
        },
      }
    })
    const entries = '+46701234567\n+46709876543\n+46701234567\n12ab\n0701234567'
    render(<RecipientCheck entries={entries} />)

    expect(
      await screen.findByText(
        '2 valid recipients, 1 duplicate removed, 2 invalid (nothing is sent until they are fixed)'
      )
    ).toBeInTheDocument()
    const items = screen.getAllByRole('listitem')
    expect(items[0]).toHaveTextContent('12ab: Not a phone number')
    expect(items[1]).toHaveTextContent('0701234567: Missing country code (start with +)')
    expect(asked).toEqual([{ entries }])
  })

  it('shows only the valid count when every number is fine', async () => {
    mockGraphQLQuery('CheckRecipientsQuery', () => ({
      checkRecipients: { __typename: 'RecipientCheck', valid: ['+46701234567'], duplicatesRemoved: 0, invalid: [] },
    }))
    render(<RecipientCheck entries="+46701234567" />)
    expect(await screen.findByText('1 valid recipient')).toBeInTheDocument()
    expect(screen.queryByRole('list')).not.toBeInTheDocument()
  })

  it('asks to split a list of more than 1,000 numbers', async () => {
    const valid = Array.from({ length: 1001 }, (_, i) => `+4670${String(i).padStart(7, '0')}`)
    mockGraphQLQuery('CheckRecipientsQuery', () => ({
      checkRecipients: { __typename: 'RecipientCheck', valid, duplicatesRemoved: 0, invalid: [] },
    }))
    render(<RecipientCheck entries={valid.join('\n')} />)
    expect(await screen.findByText('1001 valid recipients — more than 1,000: split the list')).toBeInTheDocument()
  })

  it('says it is checking while the server has not answered', async () => {
    mockGraphQLQuery('CheckRecipientsQuery', (_variables, { ctx }) => {
      ctx.delay(2000)
      return { checkRecipients: { __typename: 'RecipientCheck', valid: [], duplicatesRemoved: 0, invalid: [] } }
    })
    render(<RecipientCheck entries="+46701234567" />)
    expect(await screen.findByText('Checking numbers…')).toBeInTheDocument()
  })
})
