import { signInAs } from 'testing/staff'

import { db } from 'src/lib/db'

import { auditEvents, exportAuditCsv, recordAudit } from './audit'

const call = <T>(fn: unknown, args: object = {}) => (fn as (a: object, o: object) => Promise<T>)(args, {})
type Page = { items: { id: number; action: string; actionLabel: string }[]; nextCursor: number | null; total: number }

afterEach(() => db.auditEvent.deleteMany())

describe('audit log', () => {
  it('is append-only: the database refuses UPDATE and (outside the test database) DELETE', async () => {
    await recordAudit(db, { action: 'message_sent', actor: { id: 1, email: 'a@example.com' }, targetId: 'm1' })
    await expect(db.auditEvent.updateMany({ data: { action: 'sign_in' } })).rejects.toThrow(/append-only/)
    await expect(
      db.$transaction(async (tx) => {
        await tx.$executeRaw`SET LOCAL delivery_desk.audit_deletable = 'off'`
        await tx.auditEvent.deleteMany()
      })
    ).rejects.toThrow(/append-only/)
    expect(await db.auditEvent.count()).toBe(1)
  })

  it('rolls back with the action it records', async () => {
    await expect(
      db.$transaction(async (tx) => {
        await recordAudit(tx, { action: 'opt_out_added', actor: null })
        throw new Error('the action failed')
      })
    ).rejects.toThrow('the action failed')
    expect(await db.auditEvent.count()).toBe(0)
  })

  it('filters by user, action and period, newest first, in pages', async () => {
    signInAs('admin', { id: 7, email: 'ana@example.com' })
    for (let i = 0; i < 5; i++) await recordAudit(db, { action: 'message_sent', targetId: `m${i}` })
    await recordAudit(db, { action: 'sign_in', actor: { id: 8, email: 'bo@example.com' } })
    await db.$executeRaw`ALTER TABLE "AuditEvent" DISABLE TRIGGER "AuditEvent_append_only"`
    await db.$executeRaw`UPDATE "AuditEvent" SET "at" = '2020-01-01' WHERE "targetId" = 'm0'`
    await db.$executeRaw`ALTER TABLE "AuditEvent" ENABLE TRIGGER "AuditEvent_append_only"`

    const first = await call<Page>(auditEvents, { take: 2 })
    expect(first.total).toBe(6)
    expect(first.items.map((e) => e.action)).toEqual(['sign_in', 'message_sent'])
    const second = await call<Page>(auditEvents, { take: 2, cursor: first.nextCursor })
    expect(second.items[0].id).toBeLessThan(first.items[1].id)
    await expect(call<Page>(auditEvents, { take: 101 })).rejects.toThrow('take must be between 1 and 100.')

    expect((await call<Page>(auditEvents, { actorId: 8 })).total).toBe(1)
    const sent = await call<Page>(auditEvents, { action: 'message_sent' })
    expect(sent.total).toBe(5)
    expect(sent.items[0].actionLabel).toBe('Sent a message')
    expect((await call<Page>(auditEvents, { from: new Date('2021-01-01') })).total).toBe(5)
    expect((await call<Page>(auditEvents, { to: new Date('2021-01-01') })).total).toBe(1)
    await expect(call(auditEvents, { action: 'drop_tables' })).rejects.toThrow(/Unknown action/)
    await expect(call(auditEvents, { from: new Date('2022-01-01'), to: new Date('2021-01-01') })).rejects.toThrow(
      /end after/
    )
  })

  it('exports CSV with formula-looking cells escaped, and records the export', async () => {
    await recordAudit(db, {
      action: 'sign_in_failed',
      actor: { id: null, email: '=HYPERLINK("http://evil")@x.com' },
      clientAddress: '+1-2',
      details: { knownAccount: false },
    })
    const { csv, rows } = await exportAuditCsv({}, { id: 1, email: 'ana@example.com' }, '127.0.0.1')
    expect(rows).toBe(1)
    const [header, line] = csv.split('\r\n')
    expect(header).toBe('id,at,actor_id,actor_email,action,action_label,target_type,target_id,details,client_address')
    expect(line).toContain(`"'=HYPERLINK(""http://evil"")@x.com"`)
    expect(line).toMatch(/,'\+1-2$/)
    expect(await db.auditEvent.count({ where: { action: 'audit_exported', actorId: 1 } })).toBe(1)
  })
})
