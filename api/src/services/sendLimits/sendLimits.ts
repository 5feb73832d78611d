import { NUMBER_HEADERS } from 'src/lib/audienceScreening'
import { MAX_EXPIRY_AFTER_SEND_MS } from 'src/services/sending/audienceSend'
import { MAX_BODY_LENGTH } from 'src/services/sending/sending'
import { MAX_CLIENT_REFERENCE_LENGTH, MAX_RECIPIENTS_TEXT_LENGTH } from 'src/services/sending/sendTargets'
import { MAX_WHATSAPP_TEXT } from 'src/services/whatsapp/whatsapp'

/** The limits sendMessage and sendToAudience enforce, for the web to show before it asks. */
export const sendLimits = () => ({
  maxSmsBodyLength: MAX_BODY_LENGTH,
  maxWhatsAppTextLength: MAX_WHATSAPP_TEXT,
  maxExpiryHoursAfterSend: MAX_EXPIRY_AFTER_SEND_MS / 3600_000,
  csvNumberColumnNames: NUMBER_HEADERS,
  maxRecipientsTextLength: MAX_RECIPIENTS_TEXT_LENGTH,
  maxClientReferenceLength: MAX_CLIENT_REFERENCE_LENGTH,
})
