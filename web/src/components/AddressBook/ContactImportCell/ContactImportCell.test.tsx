import { render, screen, within } from '@redwoodjs/testing/web'

import { signInAs } from 'src/lib/testing/staff'

import { Success } from './ContactImportCell'

const base = {
  __typename: 'ContactImport' as const,
  id: 7,
  fileName: 'volunteers.csv',
  byteSize: 2048,
  headers: ['Mobile', 'Name', 'City'],
  preview: [
    ['+46731000002', 'Ana', 'Oslo'],
    ['0731000003', 'Ben', 'Rome'],
  ],
  numberColumnCandidates: ['Mobile'],
  nameColumnGuess: 'Name',
  list: null,
  phase: null,
  progress: 0,
  rowsRead: 0,
  rowsSaved: 0,
  rowsTotal: null,
  created: 0,
  updated: 0,
  duplicatesMerged: 0,
  optedOut: 0,
  badRows: 0,
  error: null,
  maxRows: 100000,
  problems: [],
}

beforeEach(() => signInAs('sender'))

describe('ContactImportCell', () => {
  it('the mapping step shows the headers with the first rows and guesses each column', () => {
    render(<Success id={7} contactImport={{ ...base, status: 'uploaded' }} />)
    expect(screen.getByLabelText('Column Mobile is')).toHaveValue('number')
    expect(screen.getByLabelText('Column Name is')).toHaveValue('name')
    expect(screen.getByLabelText('Column City is')).toHaveValue('field')
    expect(screen.getByText('0731000003')).toBeInTheDocument()
    expect(screen.getByRole('button', { name: 'Import' })).toBeEnabled()
  })

  it('shows the progress while the import runs', () => {
    render(
      <Success
        id={7}
        contactImport={{ ...base, status: 'running', phase: 'saving', progress: 75, rowsSaved: 5000, rowsTotal: 10000 }}
      />
    )
    expect(screen.getByRole('progressbar', { name: 'Import progress' })).toHaveValue(75)
    expect(screen.getByText('Saving 5,000 of 10,000 contacts')).toBeInTheDocument()
  })

  it('when done: the counts, every bad row by line, the download and the list', () => {
    render(
      <Success
        id={7}
        contactImport={{
          ...base,
          status: 'done',
          progress: 100,
          rowsRead: 2500,
          created: 2496,
          updated: 1,
          badRows: 3,
          list: { __typename: 'ContactListRef', id: 3, name: 'Volunteers' },
          problems: [
            { __typename: 'ContactImportProblem', line: 101, reason: 'no phone number', value: null },
            { __typename: 'ContactImportProblem', line: 1201, reason: 'too short to be a phone number', value: '12' },
            { __typename: 'ContactImportProblem', line: 2400, reason: 'not a valid SE number', value: '0700' },
          ],
        }}
      />
    )
    expect(screen.getByTestId('import-summary')).toHaveTextContent(
      'Imported 2,500 rows: 2,496 new contacts, 1 already in the book (merged), 0 duplicate rows merged, 0 opted out, 3 bad rows.'
    )
    const rows = within(screen.getByRole('table', { name: 'Bad rows' })).getAllByRole('row')
    expect(rows.slice(1).map((r) => r.getAttribute('data-line'))).toEqual(['101', '1201', '2400'])
    expect(screen.getByRole('link', { name: 'Download all 3 as CSV' })).toHaveAttribute(
      'href',
      '/api/exportContacts?importId=7'
    )
    expect(screen.getByRole('link', { name: 'Open the list “Volunteers”' })).toBeInTheDocument()
  })

  it('a refused file says nothing was imported', () => {
    render(
      <Success id={7} contactImport={{ ...base, status: 'failed', error: 'The file has more than 100,000 rows.' }} />
    )
    expect(screen.getByRole('alert')).toHaveTextContent('Nothing was imported: The file has more than 100,000 rows.')
  })
})
