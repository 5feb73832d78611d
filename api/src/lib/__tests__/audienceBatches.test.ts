/**
 * What screening hands on, built as bytes: the dry-run requests per chunk
 * (the shape Sinch's dry run takes) and the draft's rows.
 */
import { draftRowsJson, dryRunBatcher, pricePerPart } from '../audienceBatches'
import type { ScreenedRecipient } from '../audienceScreening'

const recipient = (n: number, name: string): ScreenedRecipient => ({
  phoneNumber: `+4670123456${n}`,
  parameters: { name },
  filledText: `Hi ${name}`,
  parts: 1,
  encoding: 'GSM-7',
})

describe('dryRunBatcher', () => {
  it('sends one request per chunk, with each number’s values, the defaults and Sinch’s ${name} body', async () => {
    const sent: unknown[] = []
    const batcher = dryRunBatcher(
      {
        body: 'Hi ((name)) ((day))',
        placeholders: ['name', 'day'],
        defaults: { day: 'Monday' },
        from: 'Desk',
        callbackUrl: 'https://desk.example/api/sinchCallbacks',
        chunkSize: 2,
      },
      async (request) => {
        sent.push(JSON.parse(Buffer.from(request).toString('utf8')))
      }
    )
    await batcher.add([recipient(1, 'Zoë'), recipient(2, 'Bo'), recipient(3, 'Å')])
    expect(sent).toHaveLength(1)
    await batcher.flush()
    await batcher.flush()
    expect(sent).toEqual([
      {
        type: 'mt_text',
        to: ['+46701234561', '+46701234562'],
        body: 'Hi ${name} ${day}',
        from: 'Desk',
        parameters: {
          name: { '+46701234561': 'Zoë', '+46701234562': 'Bo' },
          day: { default: 'Monday' },
        },
        callback_url: 'https://desk.example/api/sinchCallbacks',
      },
      {
        type: 'mt_text',
        to: ['+46701234563'],
        body: 'Hi ${name} ${day}',
        from: 'Desk',
        parameters: { name: { '+46701234563': 'Å' }, day: { default: 'Monday' } },
        callback_url: 'https://desk.example/api/sinchCallbacks',
      },
    ])
  })

  it('sends the body as written, without parameters, when it has no placeholder', async () => {
    const sent: { body: string; parameters?: unknown; from?: string }[] = []
    const batcher = dryRunBatcher(
      { body: 'Closed today', placeholders: [], defaults: {}, from: null, callbackUrl: 'https://x', chunkSize: 10 },
      async (request) => {
        sent.push(JSON.parse(Buffer.from(request).toString('utf8')))
      }
    )
    await batcher.add([{ ...recipient(1, 'x'), parameters: null }])
    await batcher.flush()
    expect(sent[0].body).toBe('Closed today')
    expect('parameters' in sent[0] || 'from' in sent[0]).toBe(false)
  })
})

describe('draft rows and price', () => {
  it('keeps the filled text only for a template', () => {
    expect(JSON.parse(draftRowsJson([recipient(1, 'Zoë')], true))).toEqual([
      { p: '+46701234561', a: { name: 'Zoë' }, t: 'Hi Zoë', n: 1 },
    ])
    expect(JSON.parse(draftRowsJson([recipient(1, 'Zoë')], false))[0].t).toBeNull()
  })

  it('prices a part by the first matching prefix, else the default', () => {
    const price = {
      perPart: 0.05,
      byPrefix: [
        { prefix: '+4670', perPart: 0.03 },
        { prefix: '+46', perPart: 0.04 },
      ],
    }
    expect(pricePerPart('+46701234561', price)).toBe(0.03)
    expect(pricePerPart('+46811111111', price)).toBe(0.04)
    expect(pricePerPart('+12025550100', price)).toBe(0.05)
  })
})
