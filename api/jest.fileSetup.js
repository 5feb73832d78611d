// Every api test file starts from an empty test database. Redwood empties the tables only after `scenario()` tests;
// a file of plain `it()` tests cleans what it wrote itself, or not, and the next file (Redwood runs api files one at a
// time) then counted rows it had not written: audit events, callback log entries. Rows the migrations need are in
// no table (they define functions and triggers only), so every table but Prisma's migration list is emptied.
// `session_replication_role = replica` skips foreign keys and triggers (the audit log's append-only one included) for
// this one connection, so the tables can go in any order with DELETE, which is much faster than TRUNCATE on tables
// this small.
const { Client } = require('pg')

beforeAll(async () => {
  const url = process.env.TEST_DATABASE_URL
  if (!url) return
  const client = new Client({ connectionString: url })
  await client.connect()
  try {
    const { rows } = await client.query(
      `SELECT quote_ident(tablename) AS name FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'`
    )
    await client.query(
      ['SET session_replication_role = replica', ...rows.map((t) => `DELETE FROM ${t.name}`)].join(';\n')
    )
  } finally {
    await client.end()
  }
})
