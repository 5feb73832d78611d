/**
 * JSON Schemas (draft 2020-12 subset that ajv checks) of the requests we send
 * to Sinch, written from Sinch's published models: the generated TypeScript
 * models of the official Node SDK, @sinch/sms and @sinch/conversation 1.4.0
 * (github.com/sinch/sinch-sdk-node, packages/{sms,conversation}/src/models/v1),
 * with the limits Sinch's reference states (docs/sinch-protocol.md). Every
 * object is closed (additionalProperties: false): a field the model does not
 * have is a field Sinch would ignore or refuse, so it fails here.
 */

/**
 * An object with only these properties (closed: additionalProperties false),
 * those in `required` required.
 */
function closed(properties: Record<string, unknown>, required?: string[]) {
  return { type: 'object', ...(required ? { required } : {}), additionalProperties: false, properties }
}

/** A schema ajv compiles on its own: its $id and a closed object. */
function schema($id: string, properties: Record<string, unknown>, required?: string[]) {
  return { $id, ...closed(properties, required) }
}

/** An object with exactly one of the content kinds of an AppMessage, `kind`. */
const content = (kind: string, value: Record<string, unknown>) => closed({ [kind]: value }, [kind])

const isoDateTime = { type: 'string', format: 'date-time' }
const deliveryReport = { enum: ['none', 'summary', 'full', 'per_recipient', 'per_recipient_final'] }
const httpUrl = { type: 'string', format: 'uri', pattern: '^https?://' }

/** What every SMS batch request (mt_text, mt_media) may carry besides its body and type. */
const batchFields = {
  to: { type: 'array', minItems: 1, maxItems: 1000, items: { type: 'string', pattern: '^\\+?[0-9]{1,15}$' } },
  from: { type: 'string', minLength: 1 },
  parameters: { type: 'object', additionalProperties: { type: 'object', additionalProperties: { type: 'string' } } },
  delivery_report: deliveryReport,
  send_at: isoDateTime,
  expire_at: isoDateTime,
  callback_url: { type: 'string', format: 'uri', maxLength: 2048 },
  client_reference: { type: 'string' },
  feedback_enabled: { type: 'boolean' },
}

/** @sinch/sms models/v1/text-request: POST /xms/v1/{plan}/batches with type mt_text. */
export const textRequestSchema = schema(
  'sinch:sms:TextRequest',
  {
    ...batchFields,
    body: { type: 'string', minLength: 1, maxLength: 2000 },
    type: { const: 'mt_text' },
    flash_message: { type: 'boolean' },
    truncate_concat: { type: 'boolean' },
    max_number_of_message_parts: { type: 'integer', minimum: 1 },
    from_ton: { type: 'integer', minimum: 0, maximum: 6 },
    from_npi: { type: 'integer', minimum: 0, maximum: 18 },
  },
  ['to', 'body']
)

/**
 * @sinch/sms models/v1/media-request and media-body: POST /xms/v1/{plan}/batches
 * with type mt_media (an MMS, docs/sinch-protocol.md#media). The file is a URL
 * Sinch fetches; message and subject are optional text.
 */
export const mediaRequestSchema = schema(
  'sinch:sms:MediaRequest',
  {
    ...batchFields,
    body: closed(
      { url: httpUrl, message: { type: 'string', minLength: 1 }, subject: { type: 'string', minLength: 1 } },
      ['url']
    ),
    type: { const: 'mt_media' },
    strict_validation: { type: 'boolean' },
  },
  ['to', 'body', 'type']
)

/**
 * @sinch/sms DryRunRequestData: POST /batches/dry_run, the body a TextRequest
 * (above), the query per_recipient and number_of_recipients (at most 1,000).
 */
export const dryRunQuerySchema = schema('sinch:sms:DryRunQuery', {
  per_recipient: { enum: ['true', 'false'] },
  number_of_recipients: { type: 'string', pattern: '^([1-9][0-9]{0,2}|1000)$' },
})

/** @sinch/sms CancelBatchMessageRequestData: DELETE /batches/{batch_id}, no query and no body. */
export const cancelBatchSchema = schema(
  'sinch:sms:CancelBatch',
  {
    batchId: { type: 'string', pattern: '^[0-9A-Z]{26}$' },
    query: { type: 'object', maxProperties: 0 },
    body: { const: '' },
  },
  ['batchId', 'query', 'body']
)

/** @sinch/sms models/v1/requests/batches ListBatchesRequestData: GET /batches query. */
export const listBatchesQuerySchema = schema('sinch:sms:ListBatchesQuery', {
  page: { type: 'string', pattern: '^[0-9]+$' },
  page_size: { type: 'string', pattern: '^([1-9]|[1-9][0-9]|100)$' },
  from: { type: 'string' },
  start_date: isoDateTime,
  end_date: isoDateTime,
  client_reference: { type: 'string' },
})

/** @sinch/sms GetDeliveryReportByBatchIdRequestData: GET /batches/{id}/delivery_report query. */
export const batchDeliveryReportQuerySchema = schema('sinch:sms:GetDeliveryReportByBatchIdQuery', {
  type: { enum: ['summary', 'full'] },
  status: { type: 'string' },
  code: { type: 'string', pattern: '^[0-9]+(,[0-9]+)*$' },
})

/** Sinch's OAuth2 client-credentials token request (form body, Basic key id and secret). */
export const oauthTokenFormSchema = schema(
  'sinch:oauth2:TokenRequest',
  { grant_type: { const: 'client_credentials' } },
  ['grant_type']
)

const channel = {
  enum: [
    'WHATSAPP',
    'RCS',
    'SMS',
    'MESSENGER',
    'VIBERBM',
    'MMS',
    'INSTAGRAM',
    'TELEGRAM',
    'KAKAOTALK',
    'KAKAOTALKCHAT',
    'LINE',
    'WECHAT',
    'APPLEBC',
  ],
}

const channelSpecificTemplateReference = closed(
  {
    template_id: { type: 'string', minLength: 1 },
    // Required, and only in the underscore form, for WhatsApp channel-specific templates.
    language_code: { type: 'string', pattern: '^[a-z]{2,3}(_[A-Za-z]{2,4})?$' },
    parameters: { type: 'object', additionalProperties: { type: 'string' } },
    version: { type: 'string' },
  },
  ['template_id']
)

const channelIdentity = closed(
  { channel, identity: { type: 'string', minLength: 1 }, app_id: { type: 'string' } },
  ['channel', 'identity']
)

/** @sinch/conversation models/v1/send-message-request: POST /v1/projects/{project}/messages:send. */
export const sendMessageRequestSchema = schema(
  'sinch:conversation:SendMessageRequest',
  {
    app_id: { type: 'string', minLength: 1 },
    callback_url: { type: 'string', format: 'uri', maxLength: 742 },
    channel_priority_order: { type: 'array', items: channel },
    channel_properties: { type: 'object', additionalProperties: { type: 'string', maxLength: 1024 } },
    message_metadata: { type: 'string', maxLength: 1024 },
    conversation_metadata: { type: 'object' },
    queue: { enum: ['NORMAL_PRIORITY', 'HIGH_PRIORITY'] },
    ttl: { anyOf: [{ type: 'string' }, { type: 'integer' }] },
    processing_strategy: { enum: ['DEFAULT', 'DISPATCH_ONLY'] },
    correlation_id: { type: 'string', maxLength: 128 },
    message_content_type: { enum: ['CONTENT_UNKNOWN', 'CONTENT_MARKETING', 'CONTENT_NOTIFICATION'] },
    recipient: {
      oneOf: [
        closed({ contact_id: { type: 'string', minLength: 1 } }, ['contact_id']),
        closed(
          {
            identified_by: closed(
              { channel_identities: { type: 'array', minItems: 1, items: channelIdentity } },
              ['channel_identities']
            ),
          },
          ['identified_by']
        ),
      ],
    },
    message: {
      type: 'object',
      // An AppMessage carries exactly one kind of content; we send these three.
      oneOf: [
        // MediaMessage: Sinch fetches url itself (docs/sinch-protocol.md#media).
        content(
          'media_message',
          closed(
            { url: httpUrl, thumbnail_url: { type: 'string', format: 'uri' }, filename_override: { type: 'string', minLength: 1 } },
            ['url']
          )
        ),
        content('text_message', closed({ text: { type: 'string', minLength: 1 } }, ['text'])),
        content('template_message', {
          ...closed({
            channel_template: { type: 'object', additionalProperties: channelSpecificTemplateReference },
            omni_template: { type: 'object' },
          }),
          minProperties: 1,
        }),
      ],
    },
  },
  ['app_id', 'recipient', 'message']
)
