export { runRedactCli } from './redaction.cli.ts';
export { createConversationStream, redactConversation, redactText } from './redaction.engine.ts';
export {
  type CompiledRedactionPolicy,
  compileRedactionPolicy,
  DEFAULT_POLICY,
  RedactionPolicyError,
  type RedactionPolicyInput,
} from './redaction.policy.ts';
export {
  type AudioRange,
  type ConversationStream,
  ENTITY_TYPES,
  type EntityType,
  type Finding,
  type RedactedSegment,
  type RedactedText,
  type Segment,
  type SegmentWord,
  type StreamedSegment,
} from './redaction.types.ts';
