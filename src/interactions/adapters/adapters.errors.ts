import { defineErrors } from '../../shared/errors.ts';

/**
 * Errors of the platform adapters. Messages name the adapter, the path in the payload and the
 * problem; they never quote a value from the payload (it may be a card number or a token).
 */
export const adapterError = defineErrors({
  PAYLOAD_INVALID: { kind: 'invalid', message: 'The payload is not valid' },
  PAYLOAD_TOO_LARGE: { kind: 'too_large', message: 'The payload is larger than Vigil accepts' },
  PAYLOAD_UNRECOGNIZED: { kind: 'invalid', message: 'The payload is not of a kind this adapter reads' },
  PAYLOAD_SOURCE_ID_REQUIRED: {
    kind: 'invalid',
    message: 'The payload carries no conversation id: pass the source id with the request',
  },
  ADAPTER_UNKNOWN: { kind: 'not_found', message: 'No adapter has this name' },
  TWILIO_SIGNATURE_INVALID: { kind: 'unauthenticated', message: 'The Twilio request signature is not valid' },
});
