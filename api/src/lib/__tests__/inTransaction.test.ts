/**
 * inTransaction on the real database: what the work wrote commits when it
 * returns and is gone when it throws; the connection goes back to the pool
 * either way. recordAuditOn writes the row recordAudit writes.
 */
import { db, inTransaction, pool } from 'src/lib/db'
import { recordAudit, recordAuditOn } from 'src/services/audit/audit'

afterEach(() => db.auditEvent.deleteMany())

const entry = {
  action: 'contacts_imported' as const,
  targetType: 'contactImport',
  targetId: 7,
  details: { created: 2 },
  actor: { id: null, email: 'ops@example.com' },
  clientAddress: null,
}

describe('inTransaction', () => {
  it('commits what the work wrote when it returns, stamped when it was written', async () => {
    const before = Date.now()
    const result = await inTransaction(async (tx) => {
      await tx.query('SELECT pg_sleep(0.2)')
      await recordAuditOn(tx, entry)
      return 'done'
    })
    const after = Date.now()
    expect(result).toBe('done')
    const [row] = await db.auditEvent.findMany()
    // Not the transaction's start (the column's default): 200 ms later, and read back as the UTC instant it was.
    expect(row.at.getTime()).toBeGreaterThanOrEqual(before + 190)
    expect(row.at.getTime()).toBeLessThanOrEqual(after + 5)
    await recordAudit(db, entry)
    const [, viaPrisma] = await db.auditEvent.findMany({ orderBy: { id: 'asc' } })
    const strip = ({ id: _id, at: _at, ...rest }: typeof row) => rest
    expect(strip(row)).toEqual(strip(viaPrisma))
  })

  it('rolls back when the work throws, and the connection serves the next caller', async () => {
    await expect(
      inTransaction(async (tx) => {
        await recordAuditOn(tx, entry)
        throw new Error('refused')
      })
    ).rejects.toThrow('refused')
    expect(await db.auditEvent.count()).toBe(0)
    // Rolled back, not handed back to the pool with the transaction still open.
    const { rows } = await pool.query<{ open: number }>(
      `SELECT count(*)::int AS open FROM pg_stat_activity
       WHERE datname = current_database() AND state LIKE 'idle in transaction%' AND pid <> pg_backend_pid()`
    )
    expect(rows[0].open).toBe(0)
  })
})
