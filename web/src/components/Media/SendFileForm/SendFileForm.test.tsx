import { act, fireEvent, render, screen, waitFor } from '@redwoodjs/testing/web'

import SendFileForm from './SendFileForm'

const limits = () => ({
  mediaLimits: { __typename: 'MediaLimits', uploadMaxBytes: 2048, allowedTypes: ['image/png', 'application/pdf'] },
  whatsAppTemplates: [
    { __typename: 'WhatsAppTemplate', id: 7, name: 'delivery_note', languageCode: 'en', parameterNames: ['order'] },
  ],
})

describe('SendFileForm', () => {
  beforeEach(() => mockGraphQLQuery('MediaLimitsQuery', limits))

  it('takes the size limit and types from the api, and refuses a file over it before sending', async () => {
    render(<SendFileForm phoneNumber="+12025550100" windowOpen />)
    await screen.findByText('at most 2 KB')
    const input = screen.getByLabelText('Send a picture or document')
    expect(input).toHaveAttribute('accept', 'image/png,application/pdf')
    fireEvent.change(input, { target: { files: [new File([new Uint8Array(3000)], 'big.pdf')] } })
    expect(screen.getByRole('alert')).toHaveTextContent('big.pdf is 3 KB: too large')
    expect(screen.getByRole('button', { name: 'Send file' })).toBeDisabled()
  })

  it('with the window closed, a file goes only as the header of a template, with its values', async () => {
    render(<SendFileForm phoneNumber="+12025550100" windowOpen={false} />)
    await screen.findByText('at most 2 KB')
    fireEvent.change(screen.getByLabelText('Send a picture or document'), {
      target: { files: [new File(['%PDF-1.4'], 'note.pdf')] },
    })
    expect(screen.getByRole('button', { name: 'Send file' })).toBeDisabled()
    fireEvent.change(screen.getByLabelText('As'), { target: { value: '7' } })
    await waitFor(() => expect(screen.getByLabelText('{{1}} order')).toBeInTheDocument())
    expect(screen.getByRole('button', { name: 'Send file' })).toBeEnabled()
  })
})

describe('SendFileForm: checks before sending', () => {
  const sent: unknown[] = []
  beforeEach(() => {
    sent.length = 0
    mockGraphQLQuery('MediaLimitsQuery', limits)
    mockGraphQLMutation('SendWhatsAppMediaMutation', (variables) => {
      sent.push(variables)
      return { sendWhatsAppMedia: { __typename: 'Message', id: 'm1', submitState: 'SUBMITTED', submitError: null } }
    })
  })

  it('with no file chosen, says so on the field and sends nothing', async () => {
    render(<SendFileForm phoneNumber="+12025550100" windowOpen />)
    await screen.findByText('at most 2 KB')
    fireEvent.click(screen.getByRole('button', { name: 'Send file' }))
    expect(await screen.findByText('Choose a picture or document to send.')).toBeInTheDocument()
    expect(screen.getByLabelText('Send a picture or document')).toHaveAttribute('aria-invalid', 'true')
    await act(() => new Promise((resolve) => setTimeout(resolve, 200)))
    expect(sent).toEqual([])
  })

  it("a template's values must be filled in before the file goes as its header", async () => {
    render(<SendFileForm phoneNumber="+12025550100" windowOpen={false} />)
    await screen.findByText('at most 2 KB')
    fireEvent.change(screen.getByLabelText('Send a picture or document'), {
      target: { files: [new File(['%PDF-1.4'], 'note.pdf')] },
    })
    fireEvent.change(screen.getByLabelText('As'), { target: { value: '7' } })
    fireEvent.click(await screen.findByRole('button', { name: 'Send file' }))
    expect(await screen.findByText('Fill in order.')).toBeInTheDocument()
    expect(screen.getByLabelText('{{1}} order')).toHaveAccessibleDescription('Fill in order.')
    await act(() => new Promise((resolve) => setTimeout(resolve, 200)))
    expect(sent).toEqual([])

    fireEvent.change(screen.getByLabelText('{{1}} order'), { target: { value: 'PX-7' } })
    fireEvent.click(screen.getByRole('button', { name: 'Send file' }))
    await waitFor(() =>
      expect(sent).toEqual([
        {
          input: {
            phoneNumber: '+12025550100',
            fileName: 'note.pdf',
            contentBase64: btoa('%PDF-1.4'),
            templateId: 7,
            templateParameters: ['PX-7'],
          },
        },
      ])
    )
  })
})
