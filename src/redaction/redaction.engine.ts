import { type CompiledRedactionPolicy, DEFAULT_POLICY } from './redaction.policy.ts';
import { ConversationRedactor } from './redaction.stream.ts';
import type {
  ConversationStream,
  RedactedSegment,
  RedactedText,
  Segment,
  StreamedSegment,
} from './redaction.types.ts';

/** Redacts one text (a chat message, an e-mail body, a transcript without speakers). */
export function redactText(text: string, policy: CompiledRedactionPolicy = DEFAULT_POLICY): RedactedText {
  const stream = new ConversationRedactor(policy);
  const out = stream.push({ text });
  out.push(...stream.end());
  const only = out[0]!;
  return { text: only.text, findings: only.findings };
}

function strip({ index: _index, ...rest }: StreamedSegment): RedactedSegment {
  return rest;
}

/**
 * Redacts a conversation: entities split across segments (a card read four digits at a time,
 * the agent saying "okay, go on" in between) are found and every piece is redacted.
 */
export function redactConversation(
  segments: readonly Segment[],
  policy: CompiledRedactionPolicy = DEFAULT_POLICY,
): { segments: RedactedSegment[] } {
  const stream = new ConversationRedactor(policy);
  const out: StreamedSegment[] = [];
  for (const s of segments) out.push(...stream.push(s));
  out.push(...stream.end());
  return { segments: out.map(strip) };
}

/**
 * Streaming redaction for live transcripts: push() returns the segments that are final,
 * holding back only segments whose digits may continue in the speaker's next segment.
 */
export function createConversationStream(
  policy: CompiledRedactionPolicy = DEFAULT_POLICY,
): ConversationStream {
  return new ConversationRedactor(policy);
}
