import { createSinchSandbox, type SinchSandbox } from 'sandbox/server'
import { callResolver } from 'testing/callResolver'
import { signInAs } from 'testing/staff'

import { resetConfigForTests } from 'src/lib/config'
import { reviewAudienceSend } from 'src/services/sending/audienceSend'
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
      maxExpiryHoursAfterSend: 72,
      csvNumberColumnNames: ['phone', 'phonenumber', 'phone_number', 'number', 'mobile', 'msisdn', 'to', 'recipient'],
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

  describe('the audience send limits, as the review applies them', () => {
    let sandbox: SinchSandbox
    const saved = process.env.SINCH_SANDBOX_URL
    beforeAll(async () => {
      sandbox = await createSinchSandbox({ callbackSecret: 'unused', stepDelayMs: 5, maxAttempts: 1 })
      process.env.SINCH_SANDBOX_URL = sandbox.url
      resetConfigForTests()
    })
    afterAll(async () => {
      await sandbox.close()
      if (saved === undefined) delete process.env.SINCH_SANDBOX_URL
      else process.env.SINCH_SANDBOX_URL = saved
      resetConfigForTests()
    })

    it('an expiry at the limit after send_at passes, a minute later is refused; the named number columns are read', async () => {
      signInAs('sender')
      const limits = await callResolver(sendLimits, {})
      expect(limits.maxExpiryHoursAfterSend).toBe(72)
      const sendAt = new Date(Date.now() + 3600_000)
      const input = (expireAfterMs: number, header: string) => ({
        input: {
          body: 'Hello',
          source: 'CSV' as const,
          csv: `city,${header}\nOslo,+12025550123\n`,
          sendAt: sendAt.toISOString(),
          expireAt: new Date(sendAt.getTime() + expireAfterMs).toISOString(),
        },
      })
      const limitMs = limits.maxExpiryHoursAfterSend * 3600_000
      for (const header of limits.csvNumberColumnNames)
        expect((await callResolver(reviewAudienceSend, input(limitMs, header))).recipients).toBe(1)
      await expect(
        callResolver(reviewAudienceSend, input(limitMs + 60_000, limits.csvNumberColumnNames[0]))
      ).rejects.toThrow(/at most 3 days/)
      await expect(callResolver(reviewAudienceSend, input(limitMs, 'telephone'))).rejects.toThrow(/No column/)
    })
  })
})
