import { type CompiledRedactionPolicy, DEFAULT_POLICY } from './redaction.policy.ts';
import { ConversationRedactor, ConversationStreamer } from './redaction.stream.ts';
import type { ConversationStream, RedactedSegment, RedactedText, Segment } from './redaction.types.ts';

/** Redacts one text (a chat message, an e-mail body, a transcript without speakers). */
export function redactText(text: string, policy: CompiledRedactionPolicy = DEFAULT_POLICY): RedactedText {
  let result: RedactedText = { text, findings: [] };
  const redactor = new ConversationRedactor(policy, (_index, out) => {
    result = { text: out.text, findings: out.findings };
  });
  redactor.write({ text });
  redactor.end();
  return result;
}

/**
 * Redacts a conversation: entities split across segments (a card read four digits at a time,
 * the agent saying "okay, go on" in between) are found and every piece is redacted.
 */
export function redactConversation(
  segments: readonly Segment[],
  policy: CompiledRedactionPolicy = DEFAULT_POLICY,
): { segments: RedactedSegment[] } {
  const out: RedactedSegment[] = [];
  const redactor = new ConversationRedactor(policy, (_index, seg) => {
    out.push(seg);
  });
  for (let i = 0; i < segments.length; i++) redactor.write(segments[i]!);
  redactor.end();
  return { segments: out };
}

/**
 * Streaming redaction for live transcripts: push() returns the segments that are final,
 * holding back only segments whose digits may continue in the speaker's next segment.
 */
export function createConversationStream(
  policy: CompiledRedactionPolicy = DEFAULT_POLICY,
): ConversationStream {
  return new ConversationStreamer(policy);
}
