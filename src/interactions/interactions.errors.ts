import { defineErrors } from '../shared/errors.ts';

export const interactionError = defineErrors({
  INTERACTION_NOT_FOUND: { kind: 'not_found', message: 'interaction not found' },
  INTERACTION_FIELD_UNKNOWN: { kind: 'invalid', message: 'no such field on this interaction' },
  INTERACTION_FIELD_NOT_REVEALABLE: {
    kind: 'forbidden',
    message: 'this field can never be revealed; card numbers are detokenized through the vault',
  },
  INTERACTION_ANONYMIZED: {
    kind: 'gone',
    message: 'this interaction was anonymized; its identifying fields no longer exist',
  },
  INTERACTION_BATCH_TOO_LARGE: { kind: 'too_large', message: 'too many interactions in one batch' },
  INTERACTION_CURSOR_INVALID: { kind: 'invalid', message: 'cursor is not valid' },
  RECORDING_NOT_FOUND: { kind: 'not_found', message: 'this interaction has no recording' },
});
