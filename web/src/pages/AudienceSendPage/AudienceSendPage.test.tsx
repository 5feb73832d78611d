import { File as NodeFile } from 'node:buffer'
import { CompressionStream as NodeCompressionStream } from 'node:stream/web'
import zlib from 'node:zlib'

import { fireEvent, render, screen, waitFor, within } from '@redwoodjs/testing/web'

import { signInAs } from 'src/lib/testing/staff'

import AudienceSendPage from './AudienceSendPage'

// jsdom's File can neither stream nor be read as text, and jsdom has no CompressionStream: Node's are the real ones.
globalThis.CompressionStream ??= NodeCompressionStream as unknown as typeof CompressionStream
const csvFile = (text: string) => new NodeFile([text], 'people.csv', { type: 'text/csv' })

type ReviewInput = Record<string, unknown>

const review = (input: ReviewInput, over: Record<string, unknown> = {}) => ({
  reviewAudienceSend: {
    __typename: 'AudienceReview',
    recipients: 2,
    duplicatesRemoved: 0,
    invalidCount: 0,
    invalid: [],
    optedOutCount: 0,
    optedOut: [],
    missing: [],
    placeholders: [],
    preview: [
      {
        __typename: 'FilledMessagePreview',
        phoneNumber: '+46701300000',
        text: 'Hi Ana',
        parts: 1,
        encoding: 'GSM-7',
      },
    ],
    ourParts: 2,
    sinchParts: 2,
    parts: 2,
    partsNote: null,
    estimatedCost: 0.1,
    currency: 'EUR',
    pricePerPart: 0.05,
    chunks: 1,
    sendAt: input.sendAt ?? null,
    expireAt: input.expireAt ?? null,
    draftId: 'draft-1',
    ...over,
  },
})

let reviewed: ReviewInput[]

beforeEach(() => {
  signInAs('sender')
  reviewed = []
  mockGraphQLQuery('AudienceSendLimitsQuery', () => ({
    // As the api's sendLimits gives them (api/src/services/sendLimits).
    sendLimits: {
      __typename: 'SendLimits',
      maxExpiryHoursAfterSend: 72,
      csvNumberColumnNames: ['phone', 'phonenumber', 'phone_number', 'number', 'mobile', 'msisdn', 'to', 'recipient'],
    },
  }))
  mockGraphQLQuery('SmsTemplatesQuery', () => ({ smsTemplates: [] }))
  mockGraphQLQuery('ReviewAudienceSendQuery', ({ input }: { input: ReviewInput }) => {
    reviewed.push(input)
    return review(input)
  })
})

const review_ = () => fireEvent.click(screen.getByRole('button', { name: 'Review' }))
const lastReviewed = async () => {
  await waitFor(() => expect(reviewed.length).toBeGreaterThan(0))
  return reviewed[reviewed.length - 1]
}

/** `yyyy-MM-ddTHH:mm:ss` in the test's time zone, as datetime-local takes it. */
function localInput(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`
}

describe('AudienceSendPage', () => {
  it('refuses to review without a message, and asks nothing of the api', async () => {
    render(<AudienceSendPage />)
    fireEvent.click(screen.getByLabelText('Pasted numbers'))
    review_()
    expect(await screen.findByText('Write the message.')).toBeInTheDocument()
    expect(await screen.findByText('Paste at least one number.')).toBeInTheDocument()
    expect(reviewed).toEqual([])
  })

  it('sends to a contact list: the lists with their sizes, the list id through review and send', async () => {
    mockGraphQLQuery('AudienceContactListsQuery', () => ({
      contactLists: [
        { __typename: 'ContactList', id: 3, name: 'Volunteers', memberCount: 2500, optedOutCount: 3 },
        { __typename: 'ContactList', id: 4, name: 'Board', memberCount: 1, optedOutCount: 0 },
      ],
    }))
    const sent: unknown[] = []
    mockGraphQLMutation('SendToAudienceMutation', (variables) => {
      sent.push(variables)
      return { sendToAudience: { __typename: 'Message', id: 'msg-9' } }
    })
    render(<AudienceSendPage />)
    fireEvent.change(screen.getByLabelText('Message'), { target: { value: 'Hi ((name)), see you in ((city)).' } })
    fireEvent.click(screen.getByLabelText('A contact list'))
    const list = screen.getByLabelText('Contact list')
    await within(list).findByRole('option', { name: 'Volunteers (2,500 contacts, 3 opted out)' })
    expect(within(list).getByRole('option', { name: 'Board (1 contact)' })).toBeInTheDocument()

    review_()
    expect(await screen.findByText('Choose a contact list.')).toBeInTheDocument()
    expect(reviewed).toEqual([])

    fireEvent.change(list, { target: { value: '3' } })
    review_()
    expect(await lastReviewed()).toMatchObject({ source: 'LIST', listId: 3, body: 'Hi ((name)), see you in ((city)).' })
    expect(await lastReviewed()).not.toHaveProperty('csvGzip')
    fireEvent.click(await screen.findByRole('button', { name: 'Send 2 messages' }))
    await waitFor(() => expect(sent).toEqual([{ draftId: 'draft-1', expectedRecipients: 2 }]))
  })

  it('guesses the number column also when the file was chosen before the api named the column names', async () => {
    mockGraphQLQuery('AudienceSendLimitsQuery', (_vars, { ctx }) => {
      ctx.delay(400)
      return {
        sendLimits: { __typename: 'SendLimits', maxExpiryHoursAfterSend: 72, csvNumberColumnNames: ['phone'] },
      }
    })
    render(<AudienceSendPage />)
    fireEvent.change(screen.getByLabelText('CSV with a header row'), {
      target: { files: [csvFile('name,phone\nAna,+46701300000\n')] },
    })
    const column = await screen.findByLabelText('Numbers are in the column')
    expect(column).toHaveValue('')
    await waitFor(() => expect(column).toHaveValue('phone'))
  })

  it('reads the CSV header: the guessed number column, another chosen, the columns offered as placeholders', async () => {
    render(<AudienceSendPage />)
    // The limits (with the number column names) are loaded before a file is chosen.
    await waitFor(() => expect(screen.getByText(/at most 72 hours after sending/)).toBeInTheDocument())
    const text = 'Name,Mobile,Work phone,Appointment Date,Price (€)\nAna,+46701300000,+46701300001,Tue,3\n'
    const file = csvFile(text)
    fireEvent.change(screen.getByLabelText('CSV with a header row'), { target: { files: [file] } })
    const column = await screen.findByLabelText('Numbers are in the column')
    expect(column).toHaveValue('Mobile')
    expect(
      within(column)
        .getAllByRole('option')
        .map((o) => o.textContent)
    ).toEqual(['Choose…', 'Name', 'Mobile', 'Work phone', 'Appointment Date', 'Price (€)'])
    const offered = within(screen.getByTestId('column-placeholders')).getAllByRole('button')
    expect(offered.map((b) => b.textContent)).toEqual([
      '((name))',
      '((mobile))',
      '((work_phone))',
      '((appointment_date))',
    ])

    fireEvent.change(screen.getByLabelText('Message'), { target: { value: 'Hi ((name)), on' } })
    fireEvent.click(screen.getByRole('button', { name: '((appointment_date))' }))
    expect(screen.getByLabelText('Message')).toHaveValue('Hi ((name)), on ((appointment_date))')

    fireEvent.change(column, { target: { value: 'Work phone' } })
    review_()
    const input = await lastReviewed()
    expect(input).toMatchObject({ source: 'CSV', numberColumn: 'Work phone' })
    // The file itself, gzip-compressed (the api unpacks it).
    expect(zlib.gunzipSync(Buffer.from(input.csvGzip as string, 'base64')).toString('utf8')).toBe(text)
  })

  it('a CSV without a recognisable number column asks for one', async () => {
    render(<AudienceSendPage />)
    await waitFor(() => expect(screen.getByText(/at most 72 hours after sending/)).toBeInTheDocument())
    const file = csvFile('who,telephone\nAna,+46701300000\n')
    fireEvent.change(screen.getByLabelText('CSV with a header row'), { target: { files: [file] } })
    expect(await screen.findByLabelText('Numbers are in the column')).toHaveValue('')
    fireEvent.change(screen.getByLabelText('Message'), { target: { value: 'Hello' } })
    review_()
    expect(await screen.findByText('Choose the column with the phone numbers.')).toBeInTheDocument()
    expect(reviewed).toEqual([])
  })

  it('"Give up after" must be after the send and within 72 hours of it; a valid one goes to the review', async () => {
    render(<AudienceSendPage />)
    await waitFor(() => expect(screen.getByText(/at most 72 hours after sending/)).toBeInTheDocument())
    fireEvent.change(screen.getByLabelText('Message'), { target: { value: 'Closed on Friday.' } })
    fireEvent.click(screen.getByLabelText('Pasted numbers'))
    fireEvent.change(screen.getByLabelText('Numbers, one per line'), { target: { value: '+46701300000' } })
    fireEvent.click(screen.getByLabelText('Later'))
    const sendAt = new Date(Date.now() + 24 * 3600_000)
    sendAt.setMilliseconds(0)
    fireEvent.change(screen.getByLabelText('Send at'), { target: { value: localInput(sendAt) } })
    const expireAt = screen.getByLabelText('Give up after')

    fireEvent.change(expireAt, { target: { value: localInput(new Date(sendAt.getTime() - 3600_000)) } })
    review_()
    expect(await screen.findByText('Give up after the time it is sent: choose a later time.')).toBeInTheDocument()

    fireEvent.change(expireAt, { target: { value: localInput(new Date(sendAt.getTime() + 73 * 3600_000)) } })
    review_()
    expect(await screen.findByText(/Sinch keeps trying for at most 72 hours \(3 days\)/)).toBeInTheDocument()
    expect(reviewed).toEqual([])

    const valid = new Date(sendAt.getTime() + 2 * 3600_000)
    fireEvent.change(expireAt, { target: { value: localInput(valid) } })
    review_()
    expect(await lastReviewed()).toMatchObject({ sendAt: sendAt.toISOString(), expireAt: valid.toISOString() })
    expect(await screen.findByText('Sinch gives up')).toBeInTheDocument()
    expect(screen.getByRole('button', { name: 'Schedule 2 messages' })).toBeEnabled()
  })

  it('a default for a placeholder stays editable after the review it came from goes stale, and goes to the next one', async () => {
    mockGraphQLQuery('ReviewAudienceSendQuery', ({ input }: { input: ReviewInput }) => {
      reviewed.push(input)
      const covered = (input.defaults as { name: string; value: string }[]).some((d) => d.name === 'date')
      return review(input, {
        placeholders: ['date'],
        missing: covered ? [] : [{ __typename: 'MissingPlaceholder', name: 'date', rows: 2 }],
      })
    })
    render(<AudienceSendPage />)
    fireEvent.change(screen.getByLabelText('Message'), { target: { value: 'See you ((date)).' } })
    fireEvent.click(screen.getByLabelText('Pasted numbers'))
    fireEvent.change(screen.getByLabelText('Numbers, one per line'), { target: { value: '+46701300000' } })
    review_()
    expect(await screen.findByRole('alert')).toHaveTextContent('No value for ((date)) in 2 rows')
    expect(screen.getByRole('button', { name: 'Send 2 messages' })).toBeDisabled()

    // Typing the default makes the review stale; the field stays for the rest of the word.
    const date = screen.getByLabelText('Default for ((date))')
    fireEvent.change(date, { target: { value: 'T' } })
    expect(screen.queryByRole('button', { name: 'Send 2 messages' })).not.toBeInTheDocument()
    fireEvent.change(screen.getByLabelText('Default for ((date))'), { target: { value: 'Tuesday' } })
    review_()
    await waitFor(() => expect(reviewed).toHaveLength(2))
    expect(reviewed[1].defaults).toEqual([{ name: 'date', value: 'Tuesday' }])
    expect(await screen.findByRole('button', { name: 'Send 2 messages' })).toBeEnabled()
  })

  it('deletes the chosen template after a confirmation, and not without', async () => {
    let templates = [
      { __typename: 'SmsTemplate', id: 5, name: 'Reminder', body: 'Hi ((name)), see you ((date)).' },
      { __typename: 'SmsTemplate', id: 6, name: 'Closed', body: 'We are closed on Friday.' },
    ]
    mockGraphQLQuery('SmsTemplatesQuery', () => ({ smsTemplates: templates }))
    const deleted: unknown[] = []
    mockGraphQLMutation('DeleteSmsTemplateMutation', (variables: { id: number }) => {
      deleted.push(variables)
      const gone = templates.find((t) => t.id === variables.id)!
      templates = templates.filter((t) => t !== gone)
      return { deleteSmsTemplate: gone }
    })
    render(<AudienceSendPage />)
    const picker = await screen.findByLabelText('Template')
    await within(picker).findByRole('option', { name: 'Reminder' })
    expect(screen.queryByRole('button', { name: 'Delete template' })).not.toBeInTheDocument()
    fireEvent.change(picker, { target: { value: '5' } })
    expect(screen.getByLabelText('Message')).toHaveValue('Hi ((name)), see you ((date)).')

    const confirm = jest.spyOn(window, 'confirm').mockReturnValueOnce(false)
    fireEvent.click(screen.getByRole('button', { name: 'Delete template' }))
    expect(confirm).toHaveBeenCalledWith('Delete the template “Reminder”? The message text stays as it is.')
    expect(deleted).toEqual([])

    confirm.mockReturnValueOnce(true)
    fireEvent.click(screen.getByRole('button', { name: 'Delete template' }))
    await waitFor(() => expect(deleted).toEqual([{ id: 5 }]))
    await waitFor(() => expect(within(picker).queryByRole('option', { name: 'Reminder' })).not.toBeInTheDocument())
    expect(picker).toHaveValue('')
    // The text picked from it stays.
    expect(screen.getByLabelText('Message')).toHaveValue('Hi ((name)), see you ((date)).')
    confirm.mockRestore()
  })
})
