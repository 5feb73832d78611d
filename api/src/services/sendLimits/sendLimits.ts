import { MAX_BODY_LENGTH } from 'src/services/sending/sending'
import { MAX_WHATSAPP_TEXT } from 'src/services/whatsapp/whatsapp'

/** The limits sendMessage enforces, for the web to show before it asks. */
export const sendLimits = () => ({ maxSmsBodyLength: MAX_BODY_LENGTH, maxWhatsAppTextLength: MAX_WHATSAPP_TEXT })
