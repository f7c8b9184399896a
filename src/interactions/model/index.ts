export { interactionModelError } from './interaction.errors.ts';
export { INTERACTION_LIMITS, MAX_PAYLOAD_BYTES } from './interaction.limits.ts';
export { mergeInteractions } from './interaction.merge.ts';
export {
  BLIND_INDEX_KINDS,
  listPersonalFields,
  mapPersonalFields,
  PERSONAL_FIELD_KINDS,
  type PersonalField,
  type PersonalFieldKind,
} from './interaction.personal.ts';
export {
  CHANNELS,
  type Channel,
  checkConsistency,
  DIRECTIONS,
  type Direction,
  type Interaction,
  type InteractionSource,
  interactionSchema,
  MASK_MODES,
  MEDIA_KINDS,
  type Media,
  PARTICIPANT_ROLES,
  type Participant,
  type ParticipantRole,
  PLATFORM_REDACTION_STATES,
  PLATFORMS,
  type Platform,
  type PlatformRedaction,
  type RedactionState,
  SENTIMENTS,
  type Segment,
  type SegmentWord,
} from './interaction.schema.ts';
export {
  describeIssues,
  formatPath,
  safeParseReportingInput,
  type ValidationProblem,
  validateInteraction,
} from './interaction.validate.ts';
