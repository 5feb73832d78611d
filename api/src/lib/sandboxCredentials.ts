/**
 * Sandbox mode, the api's side of it: with no Sinch credentials configured the api talks to the local Sinch sandbox
 * (api/sandbox/, `yarn sandbox`) with these well-known credentials. They are not secrets: the sandbox accepts
 * nothing else, and production refuses to start in sandbox mode (README → Production checklist). The sandbox itself
 * is outside api/src so the api's build never contains it; it imports these values from here.
 */
export const SANDBOX_SERVICE_PLAN_ID = 'sandbox-service-plan'
export const SANDBOX_API_TOKEN = 'sandbox-api-token'
export const SANDBOX_CALLBACK_SECRET = 'sandbox-callback-secret'
/** What the sandbox's Conversation API accepts (any OAuth2 key id and secret get a token). */
export const SANDBOX_PROJECT_ID = 'sandbox-project'
export const SANDBOX_CONVERSATION_APP_ID = 'sandbox-conversation-app'
export const SANDBOX_KEY_ID = 'sandbox-key-id'
export const SANDBOX_KEY_SECRET = 'sandbox-key-secret'
