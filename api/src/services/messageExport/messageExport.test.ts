import { exportMessageCsv, EXPORT_COLUMNS } from './messageExport'

describe('exportMessageCsv', () => {
  scenario('one row per report in event order, and a row for a recipient without reports', async () => {
    const result = await exportMessageCsv('msg_export')
    expect(result?.filename).toBe('message-msg_export-delivery.csv')
    const lines = result!.csv.trimEnd().split('\r\n')
    expect(lines[0]).toBe(EXPORT_COLUMNS.join(','))
    expect(lines).toHaveLength(4)
    expect(lines[1]).toMatch(
      /^msg_export,BATCH_EXPORT,\+46701234567,Delivered,0,Dispatched,401,401 Dispatched: Sent to the operator \(SMSC\),,2025-03-01T10:00:01.000Z,/
    )
    expect(lines[2]).toMatch(
      /^msg_export,BATCH_EXPORT,\+46701234567,Delivered,0,Delivered,0,0 OK: Delivered: no error,,2025-03-01T10:00:05.000Z,,.*,pushed$/
    )
    expect(lines[3]).toBe('msg_export,BATCH_EXPORT,+46701234568,Pending,,,,,,,,,')
  })

  scenario('null for an unknown message', async () => {
    expect(await exportMessageCsv('nope')).toBeNull()
  })
})
