import type { Interaction } from './interaction.schema.ts';

/**
 * Which model fields hold personal data or conversation content. Ingest encrypts every one of them
 * under the customer's data key and keeps blind indexes for the searchable ones; nothing here may be
 * logged. Free text (`text`) additionally goes through the redaction engine.
 */
export const PERSONAL_FIELD_KINDS = [
  'name',
  'handle',
  'phone',
  'email',
  'address',
  'subject',
  'text',
  'attribute',
  'mediaUri',
  'fileName',
] as const;
export type PersonalFieldKind = (typeof PERSONAL_FIELD_KINDS)[number];

/** Kinds worth a blind index: exact-match lookups such as "all interactions of this phone number". */
export const BLIND_INDEX_KINDS: ReadonlySet<PersonalFieldKind> = new Set(['phone', 'email', 'handle']);

/** One personal value of an interaction with its model path (e.g. `participants[1].phone`). */
export interface PersonalField {
  kind: PersonalFieldKind;
  path: string;
  value: string;
}

/** Lists every personal value of an interaction, in a stable order. */
export function listPersonalFields(interaction: Interaction): PersonalField[] {
  const out: PersonalField[] = [];
  mapPersonalFields(interaction, (value, kind, path) => {
    out.push({ kind, path, value });
    return value;
  });
  return out;
}

/**
 * Returns a copy of the interaction with every personal value replaced by `transform(value)`:
 * the one place that knows where personal data lives, so encrypting, masking for a redacted view
 * or checking a leak test covers new fields automatically.
 */
export function mapPersonalFields(
  interaction: Interaction,
  transform: (value: string, kind: PersonalFieldKind, path: string) => string,
): Interaction {
  const participants = interaction.participants.map((p, i) => {
    const copy = { ...p };
    for (const kind of ['name', 'handle', 'phone', 'email', 'address'] as const) {
      const value = copy[kind];
      if (value !== undefined) copy[kind] = transform(value, kind, `participants[${i}].${kind}`);
    }
    return copy;
  });
  const segments = interaction.segments.map((s, i) => ({
    ...s,
    text: transform(s.text, 'text', `segments[${i}].text`),
    ...(s.words === undefined
      ? {}
      : {
          words: s.words.map((w, j) => ({
            ...w,
            text: transform(w.text, 'text', `segments[${i}].words[${j}].text`),
          })),
        }),
  }));
  const media = interaction.media.map((m, i) => ({
    ...m,
    ...(m.uri === undefined ? {} : { uri: transform(m.uri, 'mediaUri', `media[${i}].uri`) }),
    ...(m.fileName === undefined
      ? {}
      : { fileName: transform(m.fileName, 'fileName', `media[${i}].fileName`) }),
  }));
  // fromEntries defines own properties, so a key such as `__proto__` stays a plain attribute.
  const attributes = Object.fromEntries(
    Object.entries(interaction.attributes).map(([key, value]) => [
      key,
      transform(value, 'attribute', `attributes.${key}`),
    ]),
  );
  return {
    ...interaction,
    ...(interaction.subject === undefined
      ? {}
      : { subject: transform(interaction.subject, 'subject', 'subject') }),
    participants,
    segments,
    media,
    attributes,
  };
}
