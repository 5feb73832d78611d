import { fireEvent, render, screen, waitFor, within } from '@redwoodjs/testing/web'

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
  progress: 0,
  rowsRead: 0,
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

  it('one number column and one name column: choosing another turns the previous one into a field', () => {
    render(<Success id={7} contactImport={{ ...base, status: 'uploaded' }} />)
    fireEvent.change(screen.getByLabelText('Column City is'), { target: { value: 'number' } })
    expect(screen.getByLabelText('Column Mobile is')).toHaveValue('field')
    fireEvent.change(screen.getByLabelText('Column Mobile is'), { target: { value: 'name' } })
    expect(screen.getByLabelText('Column Name is')).toHaveValue('field')
    fireEvent.change(screen.getByLabelText('Column City is'), { target: { value: 'ignore' } })
    expect(screen.getByRole('alert')).toHaveTextContent('Choose the column with the phone numbers.')
    expect(screen.getByRole('button', { name: 'Import' })).toBeDisabled()
  })

  it('starts the import with the chosen mapping and list; a new list needs a name', async () => {
    const started: unknown[] = []
    mockGraphQLMutation('StartContactImportMutation', (variables) => {
      started.push(variables)
      return { startContactImport: { __typename: 'ContactImport', id: 7, status: 'queued' } }
    })
    render(<Success id={7} contactImport={{ ...base, status: 'uploaded' }} />)
    expect(screen.getByLabelText('New list name')).toHaveValue('volunteers')
    fireEvent.change(screen.getByLabelText('New list name'), { target: { value: '  ' } })
    fireEvent.click(screen.getByRole('button', { name: 'Import' }))
    expect(await screen.findByText('Name the new list.')).toBeInTheDocument()
    expect(started).toEqual([])

    fireEvent.change(screen.getByLabelText('Column Name is'), { target: { value: 'number' } })
    fireEvent.change(screen.getByLabelText('Column Mobile is'), { target: { value: 'ignore' } })
    fireEvent.change(screen.getByLabelText('New list name'), { target: { value: 'Volunteers 2026' } })
    fireEvent.click(screen.getByRole('button', { name: 'Import' }))
    await waitFor(() =>
      expect(started).toEqual([
        {
          input: {
            importId: 7,
            numberColumn: 'Name',
            nameColumn: null,
            fieldColumns: ['City'],
            newListName: 'Volunteers 2026',
          },
        },
      ])
    )
  })

  it('shows the progress while the import runs', () => {
    render(<Success id={7} contactImport={{ ...base, status: 'running', progress: 75, rowsRead: 5000 }} />)
    expect(screen.getByRole('progressbar', { name: 'Import progress' })).toHaveValue(75)
    expect(screen.getByText('Reading and saving row 5,000')).toBeInTheDocument()
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
