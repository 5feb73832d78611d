/**
 * Who may do what (src/lib/roles.ts), enforced by the services themselves:
 * for every mutation, the role just below the one it needs gets a forbidden
 * error and the database does not change at all; the role it needs is not
 * refused. The SDL directives say the same (checked on the SDL text below).
 */
import fs from 'node:fs'
import path from 'node:path'

import { signInAs, signOut } from 'testing/staff'

import { ForbiddenError } from '@redwoodjs/graphql-server'

import { resetConfigForTests } from 'src/lib/config'
import { db } from 'src/lib/db'
import type { StaffRole } from 'src/lib/roles'
import { auditActions, auditEvents } from 'src/services/audit/audit'
import {
  CallbackEvent,
  callbackEvents,
  callbackRejections,
  reprocessCallback,
  reprocessCallbacks,
} from 'src/services/callbacks/callbacks'
import { sendTestCallback } from 'src/services/callbacks/testCallback'
import { discardContactImport, startContactImport, uploadContactFile } from 'src/services/contacts/contactImport'
import {
  addContactToList,
  createAddressBookContact,
  createContactList,
  deleteAddressBookContact,
  deleteContactList,
  removeContactFromList,
  renameContactList,
  updateAddressBookContact,
} from 'src/services/contacts/contacts'
import { replyToConversation } from 'src/services/conversations/conversations'
import { sendMms, sendWhatsAppMedia } from 'src/services/media/mediaSend'
import { recipient, StatusUpdate } from 'src/services/messages/messages'
import { addOptOut, removeOptOut } from 'src/services/optOuts/optOuts'
import { reconcileMessage } from 'src/services/reconciliation/reconciliation'
import { refusedCallbacksNotRecorded } from 'src/services/refusedCallbackBudget/refusedCallbackBudget'
import { sendToAudience } from 'src/services/sending/audienceSend'
import { cancelMessage } from 'src/services/sending/cancel'
import { resendFailed, retrySendMessage, sendMessage } from 'src/services/sending/sending'
import { deleteSmsTemplate, saveSmsTemplate } from 'src/services/smsTemplates/smsTemplates'
import { createUserLink, inviteUser, setUserDisabled, setUserRole, users } from 'src/services/users/users'
import { createWhatsAppTemplate, deleteWhatsAppTemplate } from 'src/services/whatsapp/whatsapp'

const call = (fn: unknown, args: object = {}) => (fn as (a: object, o: object) => Promise<unknown>)(args, {})

/** A digest of every row of every table: equal digests, nothing changed. */
async function databaseDigest(): Promise<string> {
  const tables = await db.$queryRaw<{ name: string }[]>`
    SELECT table_name AS name FROM information_schema.tables
    WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> '_prisma_migrations'
    ORDER BY table_name`
  const parts: string[] = []
  for (const { name } of tables) {
    const [row] = await db.$queryRawUnsafe<{ digest: string }[]>(
      `SELECT ${"'"}${name}:${"'"} || count(*) || ':' || coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') AS digest FROM "${name}" t`
    )
    parts.push(row.digest)
  }
  return parts.join('\n')
}

let fixtures: {
  failedMessageId: string
  submittedMessageId: string
  scheduledMessageId: string
  smsTemplateId: number
  templateId: number
  callbackId: number
  userId: number
  contactId: number
  listId: number
  memberListId: number
  uploadId: number
  uploadId2: number
}

beforeAll(() => {
  // Port 9 (discard), which fetch refuses outright: every call to Sinch fails at once.
  process.env.SINCH_SANDBOX_URL = 'http://127.0.0.1:9'
  process.env.SINCH_CALLBACK_URL = 'http://127.0.0.1:9/sinchCallbacks'
  process.env.SINCH_REQUEST_TIMEOUT_MS = '300'
  resetConfigForTests()
})
afterAll(() => {
  delete process.env.SINCH_SANDBOX_URL
  delete process.env.SINCH_CALLBACK_URL
  delete process.env.SINCH_REQUEST_TIMEOUT_MS
  resetConfigForTests()
})

beforeEach(async () => {
  const failed = await db.message.create({
    data: {
      body: 'failed submission',
      recipientCount: 1,
      submitState: 'FAILED',
      submitError: 'Sinch said no',
      recipients: { create: [{ phoneNumber: '+12025550100' }] },
    },
  })
  const submitted = await db.message.create({
    data: {
      body: 'submitted',
      recipientCount: 2,
      submitState: 'SUBMITTED',
      sinchBatchId: `BATCH_${Date.now()}_${Math.random()}`,
      submittedAt: new Date(),
      recipients: {
        create: [
          { phoneNumber: '+12025550101', status: 'Failed', statusRank: 90 },
          { phoneNumber: '+12025550102', status: 'Dispatched', statusRank: 30 },
        ],
      },
    },
  })
  const scheduled = await db.message.create({
    data: {
      body: 'scheduled',
      recipientCount: 1,
      chunked: true,
      chunkCount: 1,
      sendAt: new Date(Date.now() + 3600_000),
      recipients: { create: [{ phoneNumber: '+12025550103', chunkIndex: 0 }] },
    },
  })
  await db.messageChunk.create({
    data: { messageId: scheduled.id, index: 0, clientReference: `${scheduled.id}.0`, recipientCount: 1 },
  })
  const smsTemplate = await db.smsTemplate.create({ data: { name: `sms_${Date.now()}`, body: 'Hi ((name))' } })
  const template = await db.whatsAppTemplate.create({
    data: { name: `t_${Date.now()}`, languageCode: 'en', body: 'Hello', parameterNames: [] },
  })
  await db.optOut.create({ data: { phoneNumber: '+12025550199', source: 'STAFF' } })
  // A WhatsApp reply: its number's 24-hour window is open, so a file may be sent to it.
  await db.inboundMessage.create({
    data: {
      channel: 'WHATSAPP',
      externalId: `conv:roles-${Date.now()}`,
      fromNumber: '+12025550177',
      receivedAt: new Date(),
      rawPayload: {},
    },
  })
  const callback = await db.callbackEvent.create({
    data: {
      kind: 'recipient_delivery_report_sms',
      verdict: 'ACCEPTED',
      processingState: 'UNMATCHED',
      rawBody: '{"type":"recipient_delivery_report_sms"}',
      headers: { 'content-type': 'application/json' },
    },
  })
  const user = await db.user.create({
    data: {
      email: `colleague${Date.now()}@example.com`,
      hashedPassword: 'x',
      salt: 'y',
      role: 'sender',
      activatedAt: new Date(),
    },
  })
  const contact = await db.contact.create({ data: { phoneNumber: '+12025550177', name: 'Ana' } })
  const list = await db.contactList.create({ data: { name: `list ${Date.now()}` } })
  const memberList = await db.contactList.create({
    data: { name: `members ${Date.now()}`, members: { create: [{ contactId: contact.id }] } },
  })
  const upload = await uploadContactFile('phone\n+12025550178\n', 'a.csv', null)
  const upload2 = await uploadContactFile('phone\n+12025550179\n', 'b.csv', null)
  fixtures = {
    contactId: contact.id,
    listId: list.id,
    memberListId: memberList.id,
    uploadId: upload.id,
    uploadId2: upload2.id,
    failedMessageId: failed.id,
    submittedMessageId: submitted.id,
    scheduledMessageId: scheduled.id,
    smsTemplateId: smsTemplate.id,
    templateId: template.id,
    callbackId: callback.id,
    userId: user.id,
  }
})

afterEach(async () => {
  await db.contactImport.deleteMany()
  await db.contactListMember.deleteMany()
  await db.contactList.deleteMany()
  await db.contact.deleteMany()
  await db.auditEvent.deleteMany()
  await db.userToken.deleteMany()
  await db.user.deleteMany()
  await db.optOutEvent.deleteMany()
  await db.optOut.deleteMany()
  await db.inboundMessage.deleteMany({ where: { externalId: { startsWith: 'conv:roles-' } } })
  await db.message.deleteMany()
  await db.whatsAppTemplate.deleteMany()
  await db.smsTemplate.deleteMany()
  await db.callbackEvent.deleteMany()
})

type Case = {
  mutation: string
  needs: StaffRole
  below: StaffRole
  run: () => Promise<unknown>
  /** False when the allowed call talks to Sinch (unreachable here) and may store nothing. */
  allowedChangesSomething?: boolean
}

const cases: Case[] = [
  {
    mutation: 'sendMessage',
    needs: 'sender',
    below: 'viewer',
    run: () => call(sendMessage, { input: { body: 'Hi', recipients: '+12025550123' } }),
  },
  {
    mutation: 'replyToConversation',
    needs: 'sender',
    below: 'viewer',
    run: () => call(replyToConversation, { input: { phoneNumber: '+12025550123', channel: 'SMS', body: 'Hi' } }),
  },
  {
    mutation: 'sendToAudience',
    needs: 'sender',
    below: 'viewer',
    run: () =>
      call(sendToAudience, {
        input: {
          body: 'Hi ((name))',
          source: 'PASTED',
          recipients: '+12025550123',
          defaults: [{ name: 'name', value: 'you' }],
        },
        expectedRecipients: 1,
      }),
  },
  {
    mutation: 'saveSmsTemplate',
    needs: 'sender',
    below: 'viewer',
    run: () => call(saveSmsTemplate, { input: { name: 'Reminder', body: 'Hi ((name)), see you ((date)).' } }),
  },
  {
    mutation: 'deleteSmsTemplate',
    needs: 'sender',
    below: 'viewer',
    run: () => call(deleteSmsTemplate, { id: fixtures.smsTemplateId }),
  },
  {
    mutation: 'cancelMessage',
    needs: 'sender',
    below: 'viewer',
    run: () => call(cancelMessage, { id: fixtures.scheduledMessageId }),
  },
  {
    mutation: 'retrySendMessage',
    needs: 'sender',
    below: 'viewer',
    run: () => call(retrySendMessage, { id: fixtures.failedMessageId }),
  },
  {
    mutation: 'resendFailed',
    needs: 'sender',
    below: 'viewer',
    run: () => call(resendFailed, { id: fixtures.submittedMessageId }),
  },
  {
    mutation: 'reconcileMessage',
    needs: 'sender',
    below: 'viewer',
    run: () => call(reconcileMessage, { id: fixtures.submittedMessageId }),
  },
  {
    mutation: 'addOptOut',
    needs: 'sender',
    below: 'viewer',
    run: () => call(addOptOut, { input: { phoneNumber: '+12025550155' } }),
  },
  {
    mutation: 'sendWhatsAppMedia',
    needs: 'sender',
    below: 'viewer',
    run: () =>
      call(sendWhatsAppMedia, {
        input: {
          phoneNumber: '+12025550177',
          fileName: 'note.pdf',
          contentBase64: Buffer.from('%PDF-1.4\n').toString('base64'),
        },
      }),
  },
  {
    mutation: 'sendMms',
    needs: 'sender',
    below: 'viewer',
    run: async () => {
      // MMS is off by default (only some Sinch plans have it): on for this call.
      const saved = process.env.SINCH_MMS_ENABLED
      process.env.SINCH_MMS_ENABLED = 'true'
      resetConfigForTests()
      try {
        return await call(sendMms, {
          input: {
            recipients: '+12025550178',
            fileName: 'pixel.gif',
            contentBase64: Buffer.from('GIF89a').toString('base64'),
          },
        })
      } finally {
        if (saved === undefined) delete process.env.SINCH_MMS_ENABLED
        else process.env.SINCH_MMS_ENABLED = saved
        resetConfigForTests()
      }
    },
  },
  {
    mutation: 'removeOptOut',
    needs: 'admin',
    below: 'sender',
    run: () => call(removeOptOut, { phoneNumber: '+12025550199' }),
  },
  {
    mutation: 'createWhatsAppTemplate',
    needs: 'admin',
    below: 'sender',
    run: () =>
      call(createWhatsAppTemplate, { input: { name: 'new_one', languageCode: 'en', body: 'Hi', parameterNames: [] } }),
  },
  {
    mutation: 'deleteWhatsAppTemplate',
    needs: 'admin',
    below: 'sender',
    run: () => call(deleteWhatsAppTemplate, { id: fixtures.templateId }),
  },
  {
    mutation: 'reprocessCallback',
    needs: 'admin',
    below: 'sender',
    run: () => call(reprocessCallback, { id: fixtures.callbackId }),
  },
  { mutation: 'reprocessCallbacks', needs: 'admin', below: 'sender', run: () => call(reprocessCallbacks) },
  { mutation: 'sendTestCallback', needs: 'admin', below: 'sender', run: () => call(sendTestCallback) },
  {
    mutation: 'inviteUser',
    needs: 'admin',
    below: 'sender',
    run: () => call(inviteUser, { input: { email: 'new@example.com', role: 'viewer' } }),
  },
  {
    mutation: 'createUserLink',
    needs: 'admin',
    below: 'sender',
    run: () => call(createUserLink, { id: fixtures.userId }),
  },
  {
    mutation: 'setUserRole',
    needs: 'admin',
    below: 'sender',
    run: () => call(setUserRole, { id: fixtures.userId, role: 'viewer' }),
  },
  {
    mutation: 'setUserDisabled',
    needs: 'admin',
    below: 'sender',
    run: () => call(setUserDisabled, { id: fixtures.userId, disabled: true }),
  },
  {
    mutation: 'createAddressBookContact',
    needs: 'sender',
    below: 'viewer',
    run: () => call(createAddressBookContact, { input: { phoneNumber: '+12025550166', name: 'Bo' } }),
  },
  {
    mutation: 'updateAddressBookContact',
    needs: 'sender',
    below: 'viewer',
    run: () =>
      call(updateAddressBookContact, { id: fixtures.contactId, input: { phoneNumber: '+12025550177', name: 'Ana B' } }),
  },
  {
    mutation: 'deleteAddressBookContact',
    needs: 'sender',
    below: 'viewer',
    run: () => call(deleteAddressBookContact, { id: fixtures.contactId }),
  },
  {
    mutation: 'createContactList',
    needs: 'sender',
    below: 'viewer',
    run: () => call(createContactList, { name: 'New' }),
  },
  {
    mutation: 'renameContactList',
    needs: 'sender',
    below: 'viewer',
    run: () => call(renameContactList, { id: fixtures.listId, name: 'Renamed' }),
  },
  {
    mutation: 'deleteContactList',
    needs: 'sender',
    below: 'viewer',
    run: () => call(deleteContactList, { id: fixtures.listId }),
  },
  {
    mutation: 'addContactToList',
    needs: 'sender',
    below: 'viewer',
    run: () => call(addContactToList, { listId: fixtures.listId, contactId: fixtures.contactId }),
  },
  {
    mutation: 'removeContactFromList',
    needs: 'sender',
    below: 'viewer',
    run: () => call(removeContactFromList, { listId: fixtures.memberListId, contactId: fixtures.contactId }),
  },
  {
    mutation: 'startContactImport',
    needs: 'sender',
    below: 'viewer',
    run: () =>
      call(startContactImport, { input: { importId: fixtures.uploadId, numberColumn: 'phone', fieldColumns: [] } }),
  },
  {
    mutation: 'discardContactImport',
    needs: 'sender',
    below: 'viewer',
    run: () => call(discardContactImport, { id: fixtures.uploadId2 }),
  },
]

describe('roles, per mutation', () => {
  it.each(cases.map((c) => [c.mutation, c] as const))(
    '%s: the role below is forbidden and nothing changes',
    async (_name, c) => {
      const before = await databaseDigest()
      signInAs(c.below, { id: fixtures.userId })
      await expect(c.run()).rejects.toBeInstanceOf(ForbiddenError)
      expect(await databaseDigest()).toBe(before)

      // The role it needs is not refused, and (the test can fail) the same call changes something.
      signInAs(c.needs, { id: fixtures.userId })
      await c.run().catch((error) => {
        expect(error).not.toBeInstanceOf(ForbiddenError)
      })
      expect(await databaseDigest()).not.toBe(before)
    }
  )

  it('unauthenticated: every mutation is refused and nothing changes', async () => {
    const before = await databaseDigest()
    for (const c of cases) {
      signOut()
      await expect(c.run()).rejects.toThrow(/permission/)
    }
    expect(await databaseDigest()).toBe(before)
  })
})

describe('roles, admin-only reads', () => {
  it('users, the audit log and refused-callback diagnostics are for admins', async () => {
    signInAs('sender')
    const adminReads = [users, auditEvents, auditActions, callbackRejections, refusedCallbacksNotRecorded]
    for (const fn of adminReads) {
      await expect(Promise.resolve().then(() => call(fn))).rejects.toBeInstanceOf(ForbiddenError)
    }
    signInAs('admin')
    for (const fn of adminReads) await call(fn)
  })

  it('raw callback bodies, headers and report payloads read null below admin', async () => {
    const message = await db.message.findUniqueOrThrow({
      where: { id: fixtures.submittedMessageId },
      include: { recipients: true },
    })
    // Its own row, by key: reports a test file before may have left behind (a sandbox's late ones) are not it.
    const dedupeKey = `k${Date.now()}`
    await db.smsStatusUpdate.create({
      data: {
        dedupeKey,
        recipientId: message.recipients[0].id,
        batchId: message.sinchBatchId!,
        phoneNumber: message.recipients[0].phoneNumber,
        status: 'Failed',
        at: new Date(),
        rawPayload: { secretish: true },
      },
    })
    const event = await db.callbackEvent.findUniqueOrThrow({ where: { id: fixtures.callbackId } })
    const update = await db.smsStatusUpdate.findUniqueOrThrow({ where: { dedupeKey } })
    const field = (resolver: unknown, root: object) => (resolver as (a: object, o: object) => unknown)({}, { root })
    for (const role of ['viewer', 'sender'] as const) {
      signInAs(role)
      expect(field(CallbackEvent.rawBody, event)).toBeNull()
      expect(field(CallbackEvent.headers, event)).toBeNull()
      expect(field(StatusUpdate.rawPayload, update)).toBeNull()
      // Reading is allowed to every role.
      await call(callbackEvents)
      await call(recipient, { id: message.recipients[0].id })
    }
    signInAs('admin')
    expect(field(CallbackEvent.rawBody, event)).toBe(event.rawBody)
    expect(field(StatusUpdate.rawPayload, update)).toEqual({ secretish: true })
    await db.smsStatusUpdate.deleteMany()
  })
})

describe('roles in the SDL directives', () => {
  const sdl = fs
    .readdirSync(path.join(__dirname, '..', '..', 'graphql'))
    .filter((f) => f.endsWith('.sdl.ts'))
    .map((f) => fs.readFileSync(path.join(__dirname, '..', '..', 'graphql', f), 'utf8'))
    .join('\n')
  const rolesOf = (field: string) => {
    const match = new RegExp(
      `\\n\\s*${field}(\\([^)]*\\))?:[^\\n]*?(?:\\n[^\\n]*?)??@requireAuth\\(roles: \\[([^\\]]*)\\]\\)`
    ).exec(sdl)
    return match ? match[2].split(',').map((r) => r.trim().replace(/"/g, '')) : null
  }
  const expected: Record<StaffRole, string[]> = { admin: ['admin'], sender: ['admin', 'sender'], viewer: [] }

  it.each(cases.map((c) => [c.mutation, c.needs] as const))(
    '%s is @requireAuth(roles) for %s and above',
    (field, needs) => {
      expect(rolesOf(field)).toEqual(expected[needs])
    }
  )

  it("every mutation in the schema is in the table above, or is the link holder's or a user's own", () => {
    const mutations = [...sdl.matchAll(/type Mutation \{([\s\S]*?)\n {2}\}/g)]
      .flatMap((m) => [...m[1].matchAll(/\n\s{4}(\w+)[(:]/g)].map((f) => f[1]))
      .sort()
    // redeemUserLink: the signed-out holder of a link; signOutEverywhere: any staff member, for their own sessions;
    // markConversationRead: any staff member, for their own read state (src/services/conversations).
    expect(mutations).toEqual(
      [...cases.map((c) => c.mutation), 'redeemUserLink', 'signOutEverywhere', 'markConversationRead'].sort()
    )
  })
})
