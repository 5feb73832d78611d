// The same messages as the main callback tests: BATCH_SUBMITTED with three Swedish recipients, a message racing
// its send, a WhatsApp message.
export { standard } from './sinchCallbacks.scenarios'
