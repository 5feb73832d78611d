import { contactMessageContent } from 'src/lib/conversationContent'

describe('contactMessageContent', () => {
  it('picks the content by name whatever the key order, with reply_to as context', () => {
    const replyFirst = { reply_to: { message_id: 'M1' }, text_message: { text: 'STOP' } }
    const textFirst = { text_message: { text: 'STOP' }, reply_to: { message_id: 'M1' } }
    for (const contactMessage of [replyFirst, textFirst]) {
      expect(contactMessageContent(contactMessage)).toEqual({
        contentType: 'text',
        body: 'STOP',
        replyToMessageId: 'M1',
      })
    }
  })

  it('keeps other content as JSON under its own type', () => {
    const media = { reply_to: { message_id: 'M1' }, media_message: { url: 'https://example.com/a.jpg' } }
    expect(contactMessageContent(media)).toEqual({
      contentType: 'media',
      body: '{"url":"https://example.com/a.jpg"}',
      replyToMessageId: 'M1',
    })
  })

  it('names a content kind Sinch adds later, never reply_to', () => {
    expect(contactMessageContent({ reply_to: { message_id: 'M1' }, poll_message: { q: 1 } }).contentType).toBe('poll')
    expect(contactMessageContent({ reply_to: { message_id: 'M1' } })).toMatchObject({ contentType: 'unknown' })
  })
})
