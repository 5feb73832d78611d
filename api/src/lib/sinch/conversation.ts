/**
 * A typed client for Sinch's Conversation API (WhatsApp) over fetch:
 * docs/sinch-protocol.md#conversation-api. The sandbox is reached through this
 * same code; only the base URL and the key differ.
 *
 *   POST {base}/v1/projects/{project_id}/messages:send
 *   Authorization: Bearer <OAuth2 client-credentials token>  (oauth.ts)
 *
 * The Conversation API sends to one recipient per call: the caller loops.
 */
import type { AppConfig } from 'src/lib/config'

import { readConversationErrorBody, sinchRequest } from './http'
import { createOAuthTokenFetcher, type TokenFetcher } from './oauth'

export type ConversationConfig = NonNullable<AppConfig['conversation']>

/** WhatsApp template parameters, keyed like `body[1]text` (docs/sinch-protocol.md#whatsapp-templates-and-the-24-hour-window). */
export type TemplateParameters = Record<string, string>

export type ConversationContent =
  | { kind: 'text'; text: string }
  | { kind: 'template'; templateId: string; languageCode: string; parameters: TemplateParameters }
  /** A file Sinch fetches from `url` (our signed, expiring /mediaPublic link: docs/sinch-protocol.md#media). */
  | { kind: 'media'; url: string; fileName?: string }

export type ConversationSend = {
  /** E.164 with or without the +; sent as digits (Sinch's example identities have no +). */
  to: string
  content: ConversationContent
  /** Fall back to SMS when WhatsApp fails: channel_priority_order ["WHATSAPP","SMS"]. */
  smsFallback?: boolean
  /** SMS sender for the fallback (channel_properties.SMS_SENDER). */
  smsSender?: string
  /** Echoed back as `metadata` in delivery receipts (at most 1024 characters). */
  metadata?: string
  /** Propagated to related callbacks (at most 128 characters). */
  correlationId?: string
}

/** The request body of messages:send, exactly as sent. */
export type SendMessageRequest = {
  app_id: string
  recipient: { identified_by: { channel_identities: { channel: 'WHATSAPP' | 'SMS'; identity: string }[] } }
  message:
    | { text_message: { text: string } }
    | { media_message: { url: string; filename_override?: string } }
    | {
        template_message: {
          channel_template: { WHATSAPP: { template_id: string; language_code: string; parameters: TemplateParameters } }
        }
      }
  channel_priority_order?: ('WHATSAPP' | 'SMS')[]
  channel_properties?: Record<string, string>
  message_metadata?: string
  correlation_id?: string
}

export type SendMessageResponse = { message_id: string; accepted_time: string }

/** `en_US`, `pt_BR`, `de`: WhatsApp wants the underscore form. */
export const LANGUAGE_CODE = /^[a-z]{2,3}(_[A-Z]{2})?$/

export function buildSendMessageRequest(appId: string, send: ConversationSend): SendMessageRequest {
  const identity = send.to.replace(/\D/g, '')
  const message: SendMessageRequest['message'] =
    send.content.kind === 'text'
      ? { text_message: { text: send.content.text } }
      : send.content.kind === 'media'
        ? {
            media_message: {
              url: send.content.url,
              ...(send.content.fileName ? { filename_override: send.content.fileName } : {}),
            },
          }
        : {
            template_message: {
              channel_template: {
                WHATSAPP: {
                  template_id: send.content.templateId,
                  language_code: send.content.languageCode,
                  parameters: send.content.parameters,
                },
              },
            },
          }
  return {
    app_id: appId,
    // With SMS fallback the same number is listed for both channels, so
    // Conversation has an identity to switch to.
    recipient: {
      identified_by: {
        channel_identities: [
          { channel: 'WHATSAPP', identity },
          ...(send.smsFallback ? [{ channel: 'SMS' as const, identity }] : []),
        ],
      },
    },
    message,
    ...(send.smsFallback ? { channel_priority_order: ['WHATSAPP', 'SMS'] as ('WHATSAPP' | 'SMS')[] } : {}),
    ...(send.smsFallback && send.smsSender ? { channel_properties: { SMS_SENDER: send.smsSender } } : {}),
    ...(send.metadata ? { message_metadata: send.metadata.slice(0, 1024) } : {}),
    ...(send.correlationId ? { correlation_id: send.correlationId.slice(0, 128) } : {}),
  }
}

export type SinchConversationClient = ReturnType<typeof createSinchConversationClient>

export function createSinchConversationClient(conversation: ConversationConfig, tokens?: TokenFetcher) {
  const base = `${conversation.baseUrl}/v1/projects/${encodeURIComponent(conversation.projectId)}`
  const oauth =
    tokens ??
    createOAuthTokenFetcher({
      authUrl: conversation.authUrl,
      keyId: conversation.keyId,
      keySecret: conversation.keySecret,
      timeoutMs: conversation.requestTimeoutMs,
    })

  const request = <T>(operation: string, path: string, body: unknown) =>
    sinchRequest<T>({
      operation,
      url: `${base}${path}`,
      method: 'POST',
      body,
      authorization: async () => `Bearer ${await oauth.token()}`,
      tokens: oauth,
      timeoutMs: conversation.requestTimeoutMs,
      readError: readConversationErrorBody,
    })

  return {
    buildRequest: (send: ConversationSend) => buildSendMessageRequest(conversation.appId, send),
    sendMessage: (send: ConversationSend) =>
      request<SendMessageResponse>(
        'the WhatsApp message',
        '/messages:send',
        buildSendMessageRequest(conversation.appId, send)
      ),
  }
}

let shared: { key: ConversationConfig; client: SinchConversationClient } | undefined

/** The client for the current configuration (one token cache per process). */
export function sinchConversationClient(conversation: ConversationConfig): SinchConversationClient {
  if (!shared || shared.key !== conversation)
    shared = { key: conversation, client: createSinchConversationClient(conversation) }
  return shared.client
}
