export { INTERACTION_LIMITS, MAX_PAYLOAD_BYTES } from './interaction.limits.ts';
export { interactionModelError } from './interaction.errors.ts';
export {
  CHANNELS,
  DIRECTIONS,
  MASK_MODES,
  MEDIA_KINDS,
  PARTICIPANT_ROLES,
  PLATFORM_REDACTION_STATES,
  PLATFORMS,
  SENTIMENTS,
  interactionSchema,
  type Channel,
  type Direction,
  type Interaction,
  type InteractionSource,
  type Media,
  type Participant,
  type ParticipantRole,
  type Platform,
  type PlatformRedaction,
  type RedactionState,
  type Segment,
  type SegmentWord,
} from './interaction.schema.ts';
export { describeIssues, formatPath, validateInteraction, type ValidationProblem } from './interaction.validate.ts';
export {
  BLIND_INDEX_KINDS,
  listPersonalFields,
  mapPersonalFields,
  PERSONAL_FIELD_KINDS,
  type PersonalField,
  type PersonalFieldKind,
} from './interaction.personal.ts';
export { mergeInteractions } from './interaction.merge.ts';
