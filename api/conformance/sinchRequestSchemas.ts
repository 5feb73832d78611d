/**
 * JSON Schemas (draft 2020-12 subset that ajv checks) of the requests we send
 * to Sinch, written from Sinch's published models: the generated TypeScript
 * models of the official Node SDK, @sinch/sms and @sinch/conversation 1.4.0
 * (github.com/sinch/sinch-sdk-node, packages/{sms,conversation}/src/models/v1),
 * with the limits Sinch's reference states (docs/sinch-protocol.md). Every
 * object is closed (additionalProperties: false): a field the model does not
 * have is a field Sinch would ignore or refuse, so it fails here.
 */

const isoDateTime = { type: 'string', format: 'date-time' } as const
const deliveryReport = { enum: ['none', 'summary', 'full', 'per_recipient', 'per_recipient_final'] } as const

/** @sinch/sms models/v1/text-request: POST /xms/v1/{plan}/batches with type mt_text. */
export const textRequestSchema = {
  $id: 'sinch:sms:TextRequest',
  type: 'object',
  required: ['to', 'body'],
  additionalProperties: false,
  properties: {
    to: { type: 'array', minItems: 1, maxItems: 1000, items: { type: 'string', pattern: '^\\+?[0-9]{1,15}$' } },
    from: { type: 'string', minLength: 1 },
    parameters: { type: 'object', additionalProperties: { type: 'object', additionalProperties: { type: 'string' } } },
    body: { type: 'string', minLength: 1, maxLength: 2000 },
    type: { const: 'mt_text' },
    delivery_report: deliveryReport,
    send_at: isoDateTime,
    expire_at: isoDateTime,
    callback_url: { type: 'string', format: 'uri', maxLength: 2048 },
    client_reference: { type: 'string' },
    feedback_enabled: { type: 'boolean' },
    flash_message: { type: 'boolean' },
    truncate_concat: { type: 'boolean' },
    max_number_of_message_parts: { type: 'integer', minimum: 1 },
    from_ton: { type: 'integer', minimum: 0, maximum: 6 },
    from_npi: { type: 'integer', minimum: 0, maximum: 18 },
  },
} as const

/**
 * @sinch/sms models/v1/media-request and media-body: POST /xms/v1/{plan}/batches
 * with type mt_media (an MMS, docs/sinch-protocol.md#media). The file is a URL
 * Sinch fetches; message and subject are optional text.
 */
export const mediaRequestSchema = {
  $id: 'sinch:sms:MediaRequest',
  type: 'object',
  required: ['to', 'body', 'type'],
  additionalProperties: false,
  properties: {
    to: { type: 'array', minItems: 1, maxItems: 1000, items: { type: 'string', pattern: '^\\+?[0-9]{1,15}$' } },
    from: { type: 'string', minLength: 1 },
    body: {
      type: 'object',
      required: ['url'],
      additionalProperties: false,
      properties: {
        url: { type: 'string', format: 'uri', pattern: '^https?://' },
        message: { type: 'string', minLength: 1 },
        subject: { type: 'string', minLength: 1 },
      },
    },
    parameters: { type: 'object', additionalProperties: { type: 'object', additionalProperties: { type: 'string' } } },
    type: { const: 'mt_media' },
    delivery_report: deliveryReport,
    send_at: isoDateTime,
    expire_at: isoDateTime,
    callback_url: { type: 'string', format: 'uri', maxLength: 2048 },
    client_reference: { type: 'string' },
    feedback_enabled: { type: 'boolean' },
    strict_validation: { type: 'boolean' },
  },
} as const

/**
 * @sinch/sms DryRunRequestData: POST /batches/dry_run, the body a TextRequest
 * (above), the query per_recipient and number_of_recipients (at most 1,000).
 */
export const dryRunQuerySchema = {
  $id: 'sinch:sms:DryRunQuery',
  type: 'object',
  additionalProperties: false,
  properties: {
    per_recipient: { enum: ['true', 'false'] },
    number_of_recipients: { type: 'string', pattern: '^([1-9][0-9]{0,2}|1000)$' },
  },
} as const

/** @sinch/sms CancelBatchMessageRequestData: DELETE /batches/{batch_id}, no query and no body. */
export const cancelBatchSchema = {
  $id: 'sinch:sms:CancelBatch',
  type: 'object',
  required: ['batchId', 'query', 'body'],
  additionalProperties: false,
  properties: {
    batchId: { type: 'string', pattern: '^[0-9A-Z]{26}$' },
    query: { type: 'object', maxProperties: 0 },
    body: { const: '' },
  },
} as const

/** @sinch/sms models/v1/requests/batches ListBatchesRequestData: GET /batches query. */
export const listBatchesQuerySchema = {
  $id: 'sinch:sms:ListBatchesQuery',
  type: 'object',
  additionalProperties: false,
  properties: {
    page: { type: 'string', pattern: '^[0-9]+$' },
    page_size: { type: 'string', pattern: '^([1-9]|[1-9][0-9]|100)$' },
    from: { type: 'string' },
    start_date: isoDateTime,
    end_date: isoDateTime,
    client_reference: { type: 'string' },
  },
} as const

/** @sinch/sms GetDeliveryReportByBatchIdRequestData: GET /batches/{id}/delivery_report query. */
export const batchDeliveryReportQuerySchema = {
  $id: 'sinch:sms:GetDeliveryReportByBatchIdQuery',
  type: 'object',
  additionalProperties: false,
  properties: {
    type: { enum: ['summary', 'full'] },
    status: { type: 'string' },
    code: { type: 'string', pattern: '^[0-9]+(,[0-9]+)*$' },
  },
} as const

/** Sinch's OAuth2 client-credentials token request (form body, Basic key id and secret). */
export const oauthTokenFormSchema = {
  $id: 'sinch:oauth2:TokenRequest',
  type: 'object',
  required: ['grant_type'],
  additionalProperties: false,
  properties: { grant_type: { const: 'client_credentials' } },
} as const

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
} as const

const channelSpecificTemplateReference = {
  type: 'object',
  required: ['template_id'],
  additionalProperties: false,
  properties: {
    template_id: { type: 'string', minLength: 1 },
    // Required, and only in the underscore form, for WhatsApp channel-specific templates.
    language_code: { type: 'string', pattern: '^[a-z]{2,3}(_[A-Za-z]{2,4})?$' },
    parameters: { type: 'object', additionalProperties: { type: 'string' } },
    version: { type: 'string' },
  },
} as const

/** @sinch/conversation models/v1/send-message-request: POST /v1/projects/{project}/messages:send. */
export const sendMessageRequestSchema = {
  $id: 'sinch:conversation:SendMessageRequest',
  type: 'object',
  required: ['app_id', 'recipient', 'message'],
  additionalProperties: false,
  properties: {
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
        {
          type: 'object',
          required: ['contact_id'],
          additionalProperties: false,
          properties: { contact_id: { type: 'string', minLength: 1 } },
        },
        {
          type: 'object',
          required: ['identified_by'],
          additionalProperties: false,
          properties: {
            identified_by: {
              type: 'object',
              required: ['channel_identities'],
              additionalProperties: false,
              properties: {
                channel_identities: {
                  type: 'array',
                  minItems: 1,
                  items: {
                    type: 'object',
                    required: ['channel', 'identity'],
                    additionalProperties: false,
                    properties: { channel, identity: { type: 'string', minLength: 1 }, app_id: { type: 'string' } },
                  },
                },
              },
            },
          },
        },
      ],
    },
    message: {
      type: 'object',
      // An AppMessage carries exactly one kind of content; we send these three.
      oneOf: [
        {
          type: 'object',
          required: ['media_message'],
          additionalProperties: false,
          properties: {
            // MediaMessage: Sinch fetches url itself (docs/sinch-protocol.md#media).
            media_message: {
              type: 'object',
              required: ['url'],
              additionalProperties: false,
              properties: {
                url: { type: 'string', format: 'uri', pattern: '^https?://' },
                thumbnail_url: { type: 'string', format: 'uri' },
                filename_override: { type: 'string', minLength: 1 },
              },
            },
          },
        },
        {
          type: 'object',
          required: ['text_message'],
          additionalProperties: false,
          properties: {
            text_message: {
              type: 'object',
              required: ['text'],
              additionalProperties: false,
              properties: { text: { type: 'string', minLength: 1 } },
            },
          },
        },
        {
          type: 'object',
          required: ['template_message'],
          additionalProperties: false,
          properties: {
            template_message: {
              type: 'object',
              minProperties: 1,
              additionalProperties: false,
              properties: {
                channel_template: { type: 'object', additionalProperties: channelSpecificTemplateReference },
                omni_template: { type: 'object' },
              },
            },
          },
        },
      ],
    },
  },
} as const
