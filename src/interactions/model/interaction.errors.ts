import { defineErrors } from '../../shared/errors.ts';

/** Errors of the normalized Interaction model (validation and merging). */
export const interactionModelError = defineErrors({
  INTERACTION_INVALID: { kind: 'invalid', message: 'The interaction is not valid' },
  INTERACTION_TOO_LARGE: { kind: 'too_large', message: 'The interaction is larger than Vigil accepts' },
  INTERACTION_MERGE_MISMATCH: {
    kind: 'conflict',
    message: 'Only two revisions of the same source interaction can be merged',
  },
});
