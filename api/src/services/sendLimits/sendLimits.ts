import { MAX_BODY_LENGTH } from 'src/services/sending/sending'
import { MAX_CLIENT_REFERENCE_LENGTH, MAX_RECIPIENTS_TEXT_LENGTH } from 'src/services/sending/sendTargets'
import { MAX_WHATSAPP_TEXT } from 'src/services/whatsapp/whatsapp'

/** The limits sendMessage enforces, for the web to show before it asks. */
export const sendLimits = () => ({
  maxSmsBodyLength: MAX_BODY_LENGTH,
  maxWhatsAppTextLength: MAX_WHATSAPP_TEXT,
  maxRecipientsTextLength: MAX_RECIPIENTS_TEXT_LENGTH,
  maxClientReferenceLength: MAX_CLIENT_REFERENCE_LENGTH,
})
