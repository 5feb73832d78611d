import { isDatabaseUnavailable } from '../databaseErrors'

describe('isDatabaseUnavailable', () => {
  it.each([
    ['pool timeout', Object.assign(new Error('timeout exceeded when trying to connect'), {})],
    ['refused', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:54329'), { code: 'ECONNREFUSED' })],
    ['shutdown', Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' })],
    ['starting up', new Error('the database system is starting up')],
    ['broken client', new Error('Client has encountered a connection error and is not queryable')],
    [
      'prisma pool',
      Object.assign(new Error('Timed out fetching a new connection from the connection pool'), { code: 'P2024' }),
    ],
    ['wrapped', Object.assign(new Error('Error in connector'), { cause: { originalCode: '57P03', message: 'x' } })],
    // Seen in the fault suite when Postgres stopped mid-run:
    [
      'adapter ConnectionClosed',
      Object.assign(new Error('Raw query failed. Code: `N/A`. Message: `Server has closed the connection.`'), {
        code: 'P2010',
        meta: { driverAdapterError: { name: 'DriverAdapterError', cause: { kind: 'ConnectionClosed' } } },
      }),
    ],
    // A lock held elsewhere longer than DATABASE_LOCK_TIMEOUT_MS (fault suite: overload).
    ['lock timeout', Object.assign(new Error('canceling statement due to lock timeout'), { code: '55P03' })],
    [
      'lock timeout through the adapter',
      Object.assign(new Error('Raw query failed. Code: `55P03`. Message: `canceling statement due to lock timeout`'), {
        code: 'P2010',
      }),
    ],
    [
      'adapter kind only',
      Object.assign(new Error('Raw query failed'), {
        code: 'P2010',
        meta: { driverAdapterError: { cause: { kind: 'SocketTimeout' } } },
      }),
    ],
  ])('%s is transient', (_name, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true)
  })

  it.each([
    ['check violation', Object.assign(new Error('new row violates check constraint'), { code: '23514' })],
    [
      'a unique violation',
      Object.assign(new Error('Raw query failed'), {
        code: 'P2010',
        meta: { driverAdapterError: { cause: { kind: 'UniqueConstraintViolation' } } },
      }),
    ],
    ['a bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['not an error', 'nope'],
  ])('%s is not', (_name, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false)
  })
})
