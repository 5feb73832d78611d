import { callbackEvent, OLD_CALLBACK_SECRET, TEST_CALLBACK_SECRET } from 'testing/callbackEvent'
import { callResolver } from 'testing/callResolver'
import { signInAs } from 'testing/staff'

import { resetConfigForTests } from 'src/lib/config'
import { db } from 'src/lib/db'

import { handler } from '../../functions/sinchCallbacks'

import {
  addOptOut,
  MAX_OPT_OUT_NOTE_LENGTH,
  optOutEvents,
  optOutLimits,
  optOuts,
  OptOut as OptOutResolvers,
  removeOptOut,
  replyKeyword,
} from './optOuts'
import type { StandardScenario } from './optOuts.scenarios'

const call = callResolver

// Every action here is an admin's (the roles test checks who else may).
beforeEach(() => signInAs('admin'))

const post = (body: object) => handler(callbackEvent(body), {} as never)

let moCounter = 0
/** An SMS reply (mo_text) from +46701234567 unless told otherwise. */
const moText = (body: string, overrides: Record<string, unknown> = {}) => ({
  type: 'mo_text',
  id: `MO${++moCounter}`,
  from: '46701234567',
  to: '12345',
  body,
  received_at: '2025-03-01T10:00:00Z',
  ...overrides,
})

const ENV_KEYS = ['SINCH_CALLBACK_SECRETS', 'SINCH_CALLBACK_AUTH', 'OPT_OUT_KEYWORDS', 'OPT_IN_KEYWORDS']
const saved: Record<string, string | undefined> = {}
beforeAll(() => ENV_KEYS.forEach((k) => (saved[k] = process.env[k])))
beforeEach(() => {
  ENV_KEYS.forEach((k) => delete process.env[k])
  process.env.SINCH_CALLBACK_SECRETS = `current=${TEST_CALLBACK_SECRET},previous=${OLD_CALLBACK_SECRET}`
  resetConfigForTests()
})
afterAll(() => {
  ENV_KEYS.forEach((k) => (saved[k] === undefined ? delete process.env[k] : (process.env[k] = saved[k])))
  resetConfigForTests()
})

const optOutOf = (phoneNumber: string) =>
  db.optOut.findUnique({ where: { phoneNumber }, include: { inboundMessage: true } })
const eventsOf = (phoneNumber: string) => db.optOutEvent.findMany({ where: { phoneNumber }, orderBy: { id: 'asc' } })

describe('replyKeyword', () => {
  scenario('matches the whole reply, trimmed and in any case, from the configured lists', async () => {
    expect(['STOP', 'stop', ' Stop ', 'Stopp', 'unsubscribe', 'END', 'cancel'].map(replyKeyword)).toEqual(
      Array(7).fill('OPT_OUT')
    )
    expect(['START', ' unstop\n'].map(replyKeyword)).toEqual(['OPT_IN', 'OPT_IN'])
    expect(['STOP please', 'Please stop', 'STOPPED', '', null, 'Thanks!'].map(replyKeyword)).toEqual(
      Array(6).fill(null)
    )
    process.env.OPT_OUT_KEYWORDS = 'halt, Arret'
    resetConfigForTests()
    expect([replyKeyword('ARRET'), replyKeyword('halt'), replyKeyword('STOP'), replyKeyword('start')]).toEqual([
      'OPT_OUT',
      'OPT_OUT',
      null,
      'OPT_IN',
    ])
  })
})

describe('opt-out by reply', () => {
  for (const text of ['STOP', 'stop', ' Stop ']) {
    scenario(
      `an SMS reply ${JSON.stringify(text)} opts the number out, with the reply and an audit event`,
      async () => {
        expect((await post(moText(text))).statusCode).toBe(200)
        const optOut = await optOutOf('+46701234567')
        expect(optOut).toMatchObject({
          source: 'INBOUND',
          createdById: null,
          inboundMessage: { body: text, fromNumber: '+46701234567' },
        })
        expect(await eventsOf('+46701234567')).toEqual([
          expect.objectContaining({
            action: 'OPT_OUT',
            source: 'INBOUND',
            inboundMessageId: optOut!.inboundMessageId,
            createdById: null,
          }),
        ])
      }
    )
  }

  scenario('START opts the number back in, and both changes stay in the history', async () => {
    await post(moText('STOP'))
    expect(await optOutOf('+46701234567')).not.toBeNull()
    await post(moText('Start', { received_at: '2025-03-02T10:00:00Z' }))
    expect(await optOutOf('+46701234567')).toBeNull()
    expect((await eventsOf('+46701234567')).map((e) => [e.action, e.source])).toEqual([
      ['OPT_OUT', 'INBOUND'],
      ['OPT_IN', 'INBOUND'],
    ])
  })

  scenario('a replayed STOP callback changes nothing, even after a START', async () => {
    const stop = moText('STOP')
    await post(stop)
    await post(moText('START'))
    expect(await optOutOf('+46701234567')).toBeNull()
    // Sinch retries the old STOP (same id): the reply is a duplicate and the opt-in stands.
    const replay = await post(stop)
    expect(JSON.parse(replay.body)).toMatchObject({ status: 'duplicate' })
    expect(await optOutOf('+46701234567')).toBeNull()
    expect(await db.optOutEvent.count()).toBe(2)
    expect(await db.inboundMessage.count()).toBe(2)
  })

  scenario('a reply that is not a keyword stores the reply and changes no opt-out', async () => {
    await post(moText('Stop sending me parcels at night please'))
    await post(moText('Thanks!'))
    expect(await db.inboundMessage.count()).toBe(2)
    expect(await optOutOf('+46701234567')).toBeNull()
    expect(await db.optOutEvent.count()).toBe(0)
  })

  scenario('a second STOP keeps the first opt-out (its date and reply) and adds no event', async () => {
    await post(moText('STOP'))
    const first = await optOutOf('+46701234567')
    await post(moText('UNSUBSCRIBE'))
    expect(await optOutOf('+46701234567')).toEqual(first)
    expect(await db.optOutEvent.count()).toBe(1)
  })

  scenario('a Conversation inbound text STOP opts out; a non-text message does not', async () => {
    const inbound = (id: string, contact_message: object, identity = '46701234568') => ({
      app_id: 'APP',
      accepted_time: '2025-03-01T10:00:01Z',
      event_time: '2025-03-01T10:00:00Z',
      project_id: 'p',
      message: {
        id,
        direction: 'TO_APP',
        contact_message,
        channel_identity: { channel: 'WHATSAPP', identity, app_id: 'APP' },
        conversation_id: 'c',
        contact_id: 'k',
        metadata: '',
        accept_time: '2025-03-01T10:00:00.5Z',
      },
    })
    expect((await post(inbound('IN1', { text_message: { text: ' stop ' } }))).statusCode).toBe(200)
    expect(await optOutOf('+46701234568')).toMatchObject({ source: 'INBOUND', inboundMessage: { channel: 'WHATSAPP' } })
    await post(inbound('IN2', { media_message: { url: 'https://example.com/STOP' } }, '46701234569'))
    expect(await optOutOf('+46701234569')).toBeNull()
    // An identity written as a phone number in another form is the same number: its STOP counts.
    expect((await post(inbound('IN3', { text_message: { text: 'STOP' } }, 'tel:+46 70-123 45 70'))).statusCode).toBe(
      200
    )
    expect(await optOutOf('+46701234570')).toMatchObject({ source: 'INBOUND' })
  })
})

describe('opt-outs by staff', () => {
  scenario('lists opt-outs newest first with the reply that caused them', async () => {
    await post(moText('STOP'))
    const list = await call(optOuts, {})
    expect(list.map((o: { phoneNumber: string }) => o.phoneNumber)).toEqual(['+46701234567', '+46701234599'])
    expect(
      await (OptOutResolvers.inboundMessage as (a: unknown, o: unknown) => Promise<unknown>)({}, { root: list[0] })
    ).toMatchObject({ body: 'STOP', channel: 'SMS' })
    expect(await call(optOuts, { search: '4599' })).toHaveLength(1)
  })

  scenario(
    'adding by hand validates the number, stores it as E.164 and audits the staff user',
    async (scenario: StandardScenario) => {
      mockCurrentUser({ id: scenario.user.staff.id, email: 'staff@example.com', roles: ['admin'] })
      const added = await call(addOptOut, { input: { phoneNumber: '+1 (202) 555-0123', note: ' called the desk ' } })
      expect(added).toMatchObject({
        phoneNumber: '+12025550123',
        source: 'STAFF',
        createdById: scenario.user.staff.id,
        note: 'called the desk',
      })
      expect(await eventsOf('+12025550123')).toEqual([
        expect.objectContaining({
          action: 'OPT_OUT',
          source: 'STAFF',
          createdById: scenario.user.staff.id,
          note: 'called the desk',
        }),
      ])
      await expect(call(addOptOut, { input: { phoneNumber: 'not a number' } })).rejects.toThrow(/not a number: /)
      await expect(call(addOptOut, { input: { phoneNumber: '+12025550123, +46701234567' } })).rejects.toThrow(
        /one phone number at a time/
      )
      await expect(call(addOptOut, { input: { phoneNumber: '(202) 555-0123' } })).rejects.toThrow(/already opted out/)
      expect(await db.optOutEvent.count()).toBe(1)
    }
  )

  scenario(
    'a note is bounded by the limit the api tells the web, and a refused one changes nothing',
    async (scenario: StandardScenario) => {
      mockCurrentUser({ id: scenario.user.staff.id, email: 'staff@example.com', roles: ['admin'] })
      expect(await call(optOutLimits, {})).toEqual({ maxNoteLength: MAX_OPT_OUT_NOTE_LENGTH })
      const tooLong = 'x'.repeat(MAX_OPT_OUT_NOTE_LENGTH + 1)
      await expect(call(addOptOut, { input: { phoneNumber: '+12025550123', note: tooLong } })).rejects.toThrow(
        `The note has ${MAX_OPT_OUT_NOTE_LENGTH + 1} characters; a note has at most ${MAX_OPT_OUT_NOTE_LENGTH}.`
      )
      await expect(call(removeOptOut, { phoneNumber: '+46701234599', note: tooLong })).rejects.toThrow(
        /a note has at most/
      )
      expect(await optOutOf('+12025550123')).toBeNull()
      expect(await optOutOf('+46701234599')).not.toBeNull()
      expect(await db.optOutEvent.count()).toBe(0)
      // Blanks around the note do not count.
      const fits = ` ${'y'.repeat(MAX_OPT_OUT_NOTE_LENGTH)} `
      expect(await call(addOptOut, { input: { phoneNumber: '+12025550123', note: fits } })).toMatchObject({
        note: 'y'.repeat(MAX_OPT_OUT_NOTE_LENGTH),
      })
    }
  )

  scenario('removing by hand deletes the opt-out and audits who removed it', async (scenario: StandardScenario) => {
    mockCurrentUser({ id: scenario.user.staff.id, email: 'staff@example.com', roles: ['admin'] })
    const removed = await call(removeOptOut, { phoneNumber: '+46 70 123 45 99' })
    expect(removed).toMatchObject({ phoneNumber: '+46701234599', note: 'asked by phone' })
    expect(await optOutOf('+46701234599')).toBeNull()
    expect(await eventsOf('+46701234599')).toEqual([
      expect.objectContaining({ action: 'OPT_IN', source: 'STAFF', createdById: scenario.user.staff.id }),
    ])
    await expect(call(removeOptOut, { phoneNumber: '+46701234599' })).rejects.toThrow(/is not opted out/)
    await expect(Promise.resolve().then(() => call(optOutEvents, { take: 501 }))).rejects.toThrow(
      'take must be between 1 and 500.'
    )
    const history = await call(optOutEvents, { phoneNumber: '+46701234599' })
    expect(history).toHaveLength(1)
  })
})
