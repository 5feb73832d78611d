import { isLocalDatabaseUrl } from 'src/lib/localDatabase'

describe('isLocalDatabaseUrl (the seed creates the demo user only on these)', () => {
  it.each([
    'postgresql://postgres:postgres@127.0.0.1:54329/delivery_desk',
    'postgres://u:p@localhost/desk',
    'postgresql://u:p@[::1]:5432/desk',
    'postgresql:///desk?host=/var/run/postgresql',
  ])('%s is local', (url) => expect(isLocalDatabaseUrl(url)).toBe(true))

  it.each([
    'postgresql://u:p@db.example.com:5432/desk',
    'postgresql://u:p@10.0.0.5/desk',
    'postgresql://u:p@127.0.0.1.nip.io/desk',
    'not a url',
    undefined,
  ])('%s is not', (url) => expect(isLocalDatabaseUrl(url)).toBe(false))
})
