import { callResolver } from 'testing/callResolver'
import { signInAs } from 'testing/staff'

import { sendMessage } from 'src/services/sending/sending'

import { sendLimits } from './sendLimits'

describe('sendLimits', () => {
  it('gives the limits sendMessage enforces', async () => {
    signInAs('viewer')
    const limits = await callResolver(sendLimits, {})
    expect(limits).toEqual({ maxSmsBodyLength: 1600, maxWhatsAppTextLength: 4096 })

    // The SMS limit is the one a send is refused at, before anything is stored or checked.
    signInAs('sender')
    const input = (body: string) => ({ input: { body, recipients: '+12025550123' } })
    await expect(callResolver(sendMessage, input('x'.repeat(limits.maxSmsBodyLength + 1)))).rejects.toThrow(
      /limit is 1600/
    )
  })
})
