export {
  ADAPTER_NAMES,
  type Adapter,
  type AdapterName,
  detectAdapter,
  detectAndParse,
  getAdapter,
  isAdapterName,
} from './adapter.registry.ts';
export type { AdapterContext, AdapterResult, AttachmentContent, PayloadFormat } from './adapter.types.ts';
export { adapterError } from './adapters.errors.ts';
export { parseChatwoot } from './chatwoot.adapter.ts';
export { parseConnectAgentEvent } from './connect-agent-event.adapter.ts';
export { parseConnectContactEvent } from './connect-contact-event.adapter.ts';
export { parseContactLens } from './contact-lens.adapter.ts';
export { parseEmail } from './email.adapter.ts';
export { parseGeneric } from './generic.adapter.ts';
export { genericInteractionSchema, genericPayloadSchema, MAX_GENERIC_BATCH } from './generic.schema.ts';
export { decodePayloadText, type FormInput, parseJsonText, readFormParams } from './payload-text.ts';
export { parseTranscribeBatch } from './transcribe-batch.adapter.ts';
export { parseCallAnalytics } from './transcribe-call-analytics.adapter.ts';
export { parsePcaResult } from './transcribe-pca.adapter.ts';
export { parseTranscribeStreaming } from './transcribe-streaming.adapter.ts';
export { parseTwilio } from './twilio.adapter.ts';
export {
  computeTwilioSignature,
  type TwilioParams,
  verifyTwilioBodySignature,
  verifyTwilioSignature,
} from './twilio-signature.ts';
