import { callResolver } from 'testing/callResolver'
import { signInAs } from 'testing/staff'

import { sendMessage } from 'src/services/sending/sending'

import { sendLimits } from './sendLimits'

describe('sendLimits', () => {
  it('gives the limits sendMessage enforces', async () => {
    signInAs('viewer')
    const limits = await callResolver(sendLimits, {})
    expect(limits).toEqual({
      maxSmsBodyLength: 1600,
      maxWhatsAppTextLength: 4096,
      maxRecipientsTextLength: 100_000,
      maxClientReferenceLength: 128,
    })

    // The SMS limit is the one a send is refused at, before anything is stored or checked.
    signInAs('sender')
    const input = (body: string) => ({ input: { body, recipients: '+12025550123' } })
    await expect(callResolver(sendMessage, input('x'.repeat(limits.maxSmsBodyLength + 1)))).rejects.toThrow(
      /limit is 1600/
    )
    // So are the recipients' and the client reference's.
    await expect(
      callResolver(sendMessage, { input: { body: 'x', recipients: '1'.repeat(limits.maxRecipientsTextLength + 1) } })
    ).rejects.toThrow(/at most 100,000/)
    await expect(
      callResolver(sendMessage, {
        input: {
          body: 'x',
          recipients: '+12025550123',
          clientReference: 'r'.repeat(limits.maxClientReferenceLength + 1),
        },
      })
    ).rejects.toThrow(/longer than 128/)
  })
})
