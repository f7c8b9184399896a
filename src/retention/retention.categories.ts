/**
 * The data categories a retention policy can name. The four interaction categories match the
 * `category` column ingest writes; the others live in their own stores.
 */
export const INTERACTION_CATEGORIES = ['voice_transcript', 'chat', 'email', 'sms'] as const;
export const DATA_CATEGORIES = [
  ...INTERACTION_CATEGORIES,
  'recording',
  'card_token',
  'customer_profile',
  'audit_log',
] as const;

export type InteractionCategory = (typeof INTERACTION_CATEGORIES)[number];
export type DataCategory = (typeof DATA_CATEGORIES)[number];

/** delete: the record is gone; anonymize: the redacted interaction stays without identifying fields. */
export const RETENTION_ACTIONS = ['delete', 'anonymize'] as const;
export type RetentionAction = (typeof RETENTION_ACTIONS)[number];

/** Only interactions can be anonymized; every other category is deleted when it expires. */
export function actionAllowed(category: DataCategory, action: RetentionAction): boolean {
  return action === 'delete' || (INTERACTION_CATEGORIES as readonly string[]).includes(category);
}

export function isInteractionCategory(value: string): value is InteractionCategory {
  return (INTERACTION_CATEGORIES as readonly string[]).includes(value);
}
