import { callResolver } from 'testing/callResolver'
import { signInAs } from 'testing/staff'

import { db } from 'src/lib/db'

import { deleteSmsTemplate, saveSmsTemplate, smsTemplates } from './smsTemplates'

const NAME = 'smsTemplates.test reminder'

afterEach(() => db.smsTemplate.deleteMany({ where: { name: NAME } }))

describe('deleteSmsTemplate', () => {
  it('removes the template and audits it in the same transaction; an unknown id changes nothing', async () => {
    signInAs('sender')
    const saved = await callResolver(saveSmsTemplate, { input: { name: NAME, body: 'Hi ((name)), see you ((date)).' } })
    const gone = await callResolver(deleteSmsTemplate, { id: saved.id })
    expect(gone).toMatchObject({ id: saved.id, name: NAME })
    expect((await callResolver(smsTemplates, {})).map((t) => t.id)).not.toContain(saved.id)
    const audit = await db.auditEvent.findMany({
      where: { action: 'sms_template_removed', targetId: String(saved.id) },
    })
    expect(audit).toHaveLength(1)
    expect(audit[0].details).toEqual({ name: NAME })

    const before = await db.auditEvent.count()
    await expect(callResolver(deleteSmsTemplate, { id: saved.id })).rejects.toThrow(`No template ${saved.id}.`)
    expect(await db.auditEvent.count()).toBe(before)
  })

  it('is refused to a viewer, and the template stays', async () => {
    signInAs('sender')
    const saved = await callResolver(saveSmsTemplate, { input: { name: NAME, body: 'Hello' } })
    signInAs('viewer')
    await expect(callResolver(deleteSmsTemplate, { id: saved.id })).rejects.toThrow()
    expect(await db.smsTemplate.count({ where: { id: saved.id } })).toBe(1)
  })
})
