/**
 * A list as CSV: phone_number, name, then one column per field name found
 * on its members (sorted), an opted_out column last. Members are read in
 * pages of 2,000 (keyset on the contact id) and streamed through
 * csv-stringify; the file reads back through the import unchanged.
 */
import { stringify } from 'csv-stringify'

import { spreadsheetSafe } from 'src/lib/csv'
import { db } from 'src/lib/db'
import { recordAudit } from 'src/services/audit/audit'

import { fieldsOf } from './contactRows'
import { MAX_AUDIENCE } from './listAudience'

const PAGE = 2000

type Member = { id: number; phoneNumber: string; name: string | null; attributes: unknown; optedOut: boolean }

async function* members(listId: number): AsyncGenerator<Member> {
  let after = 0
  for (;;) {
    const page = await db.$queryRaw<Member[]>`
      SELECT c.id, c."phoneNumber", c."name", c."attributes", (o.id IS NOT NULL) AS "optedOut"
      FROM "ContactListMember" m
      JOIN "Contact" c ON c.id = m."contactId"
      LEFT JOIN "OptOut" o ON o."phoneNumber" = c."phoneNumber"
      WHERE m."listId" = ${listId}::int AND c.id > ${after}::int
      ORDER BY c.id
      LIMIT ${PAGE}::int`
    yield* page
    if (page.length < PAGE) return
    after = page[page.length - 1].id
  }
}

/** The list as CSV text, or null when there is no such list. Audited (personal data leaves the desk). */
export async function exportContactListCsv(
  listId: number
): Promise<{ csv: string; filename: string; rows: number } | null> {
  const list = await db.contactList.findUnique({ where: { id: listId } })
  if (!list) return null
  const fieldRows = await db.$queryRaw<{ key: string }[]>`
    SELECT DISTINCT jsonb_object_keys(c."attributes") AS key
    FROM "ContactListMember" m JOIN "Contact" c ON c.id = m."contactId"
    WHERE m."listId" = ${listId}::int ORDER BY 1 LIMIT 200`
  const fields = fieldRows.map((r) => r.key).filter((k) => !['phone_number', 'name', 'opted_out'].includes(k))
  const stringifier = stringify({ record_delimiter: '\r\n', cast: { string: spreadsheetSafe } })
  const chunks: Buffer[] = []
  stringifier.on('data', (chunk: Buffer) => chunks.push(chunk))
  const finished = new Promise<void>((resolve, reject) => {
    stringifier.on('end', resolve)
    stringifier.on('error', reject)
  })
  stringifier.write(['phone_number', 'name', ...fields, 'opted_out'])
  let rows = 0
  for await (const m of members(listId)) {
    if (rows >= MAX_AUDIENCE) break
    const values = fieldsOf(m.attributes)
    const ok = stringifier.write([
      m.phoneNumber,
      m.name ?? '',
      ...fields.map((f) => values[f] ?? ''),
      m.optedOut ? 'yes' : '',
    ])
    rows++
    if (!ok) await new Promise((resolve) => stringifier.once('drain', resolve))
  }
  stringifier.end()
  await finished
  await db.$transaction((tx) =>
    recordAudit(tx, { action: 'contact_list_exported', targetType: 'contactList', targetId: listId, details: { rows } })
  )
  const safeName = list.name.replace(/[^\w.-]+/g, '-').slice(0, 60) || 'list'
  return {
    csv: Buffer.concat(chunks).toString('utf8'),
    filename: `${safeName}-${new Date().toISOString().slice(0, 10)}.csv`,
    rows,
  }
}

/** An import's bad rows as CSV (line, reason, value), or null when there is no such import. */
export async function exportImportProblemsCsv(importId: number): Promise<{ csv: string; filename: string } | null> {
  const found = await db.contactImport.findUnique({ where: { id: importId }, select: { id: true } })
  if (!found) return null
  const problems = await db.contactImportProblem.findMany({
    where: { importId },
    orderBy: { line: 'asc' },
    select: { line: true, reason: true, value: true },
  })
  const csv = await new Promise<string>((resolve, reject) =>
    stringify(
      [['line', 'reason', 'value'], ...problems.map((p) => [p.line, p.reason, p.value ?? ''])],
      { record_delimiter: '\r\n', cast: { string: spreadsheetSafe } },
      (error, output) => (error ? reject(error) : resolve(output))
    )
  )
  return { csv, filename: `import-${importId}-bad-rows.csv` }
}
