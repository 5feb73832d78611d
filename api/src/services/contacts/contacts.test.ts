/**
 * The contact book by hand: numbers normalised with the default region, one
 * contact per number, fields, lists, and every change audited with it.
 */
import { callResolver } from 'testing/callResolver'
import { signInAs } from 'testing/staff'

import { UserInputError } from '@redwoodjs/graphql-server'

import { db } from 'src/lib/db'

import {
  addContactToList,
  addressBookContacts,
  contactLists,
  createAddressBookContact,
  createContactList,
  deleteContactList,
  removeContactFromList,
  updateAddressBookContact,
} from './contacts'

afterEach(async () => {
  await db.contactListMember.deleteMany()
  await db.contactList.deleteMany()
  await db.contact.deleteMany()
  await db.optOut.deleteMany()
  await db.auditEvent.deleteMany()
})

describe('contacts and lists', () => {
  it('adds, edits and lists contacts; each change audited in its transaction', async () => {
    signInAs('sender')
    const list = await callResolver(createContactList, { name: ' Volunteers ' })
    expect(list.name).toBe('Volunteers')
    const ana = await callResolver(createAddressBookContact, {
      input: {
        phoneNumber: '(202) 555-0140',
        name: ' Ana ',
        fields: [{ name: 'City', value: 'Oslo' }],
        listIds: [list.id],
      },
    })
    expect(ana).toMatchObject({ phoneNumber: '+12025550140', name: 'Ana', fields: [{ name: 'City', value: 'Oslo' }] })
    expect(ana.lists).toEqual([{ id: list.id, name: 'Volunteers' }])

    await expect(callResolver(createAddressBookContact, { input: { phoneNumber: '+1 202 555 0140' } })).rejects.toThrow(
      /already in the contact book \(Ana\)/
    )
    await expect(callResolver(createAddressBookContact, { input: { phoneNumber: 'abc' } })).rejects.toBeInstanceOf(
      UserInputError
    )

    await db.optOut.create({ data: { phoneNumber: '+12025550140', source: 'STAFF' } })
    const edited = await callResolver(updateAddressBookContact, {
      id: ana.id,
      input: { phoneNumber: '+12025550140', name: 'Ana B', fields: [], listIds: [] },
    })
    expect(edited).toMatchObject({ name: 'Ana B', fields: [], lists: [], optedOut: true })

    await callResolver(addContactToList, { listId: list.id, contactId: ana.id })
    const [counted] = await callResolver(contactLists, {})
    expect(counted).toMatchObject({ memberCount: 1, optedOutCount: 1 })
    const page = await callResolver(addressBookContacts, { search: 'ana', listId: list.id })
    expect(page.total).toBe(1)
    await callResolver(removeContactFromList, { listId: list.id, contactId: ana.id })
    await callResolver(deleteContactList, { id: list.id })
    expect(await db.contact.count()).toBe(1)

    const actions = (await db.auditEvent.findMany({ orderBy: { id: 'asc' } })).map((e) => e.action)
    expect(actions).toEqual([
      'contact_list_created',
      'contact_created',
      'contact_updated',
      'contact_list_member_added',
      'contact_list_member_removed',
      'contact_list_deleted',
    ])
  })

  it('an audit that cannot be written leaves the contact unwritten', async () => {
    signInAs('sender')
    await db.$executeRaw`ALTER TABLE "AuditEvent" ADD CONSTRAINT no_contacts CHECK (action <> 'contact_created')`
    try {
      await expect(callResolver(createAddressBookContact, { input: { phoneNumber: '+12025550141' } })).rejects.toThrow()
      expect(await db.contact.count()).toBe(0)
    } finally {
      await db.$executeRaw`ALTER TABLE "AuditEvent" DROP CONSTRAINT no_contacts`
    }
  })
})
