import type { paths } from '../api/schema.d.ts';

type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never;

export type Evaluation = Json<paths['/api/v1/retention/policies']['get']['responses'][200]>;
export type PolicyBody = Json<paths['/api/v1/retention/policies']['put']['requestBody']>;
export type Category = PolicyBody['category'];
export type PurgeReport = Json<paths['/api/v1/retention/plan']['get']['responses'][200]>;
export type Hold = Json<paths['/api/v1/retention/holds']['get']['responses'][200]>['holds'][number];
export type HoldBody = Json<paths['/api/v1/retention/holds']['post']['requestBody']>;
export type Certificate = Json<
  paths['/api/v1/retention/certificates']['get']['responses'][200]
>['certificates'][number];

/** Sum of a tally field over every category of a purge report. */
export function total(report: PurgeReport, field: 'due' | 'deleted' | 'anonymized' | 'scanned'): number {
  return Object.values(report.categories).reduce((sum, tally) => sum + tally[field], 0);
}

/** Every data category, checked both ways against the server's enum when the console type-checks. */
export const CATEGORIES = [
  'voice_transcript',
  'chat',
  'email',
  'sms',
  'recording',
  'card_token',
  'customer_profile',
  'audit_log',
] as const satisfies readonly Category[];
type MissingCategory = Exclude<Category, (typeof CATEGORIES)[number]>;
export const CATEGORIES_COMPLETE: [MissingCategory] extends [never] ? true : never = true;
