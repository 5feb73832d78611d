// Redwood's global setup rebuilds the test database from the migrations; then
// the test database (only it) allows deleting audit events, so that Redwood's
// teardown can empty "AuditEvent" between scenarios like every other table.
// The append-only trigger refuses it everywhere else (migration
// 20261201130000_team_roles_audit).
const redwoodGlobalSetup = require('@redwoodjs/testing/config/jest/api/globalSetup')

module.exports = async function () {
  await redwoodGlobalSetup()
  const url = process.env.TEST_DATABASE_URL
  if (!url) return
  const { Client } = require('pg')
  const client = new Client({ connectionString: url })
  await client.connect()
  try {
    const { rows } = await client.query('SELECT current_database() AS name')
    await client.query(`ALTER DATABASE "${rows[0].name}" SET delivery_desk.audit_deletable = 'on'`)
  } finally {
    await client.end()
  }
}
