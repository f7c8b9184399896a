import type { FieldName, FieldVisibility } from './access.permissions.ts';

const BULLET = '•';

function keepLastDigits(text: string, keep: number): string {
  const total = (text.match(/\d/g) ?? []).length;
  let seen = 0;
  return text.replace(/\d/g, (digit) => (++seen > total - keep ? digit : BULLET));
}

/**
 * The masked form of a value: enough to recognise it (last digits of a phone or card, initials),
 * never enough to use it. Free text and media are replaced whole: their redacted form comes from
 * the redaction engine, not from here.
 */
export function maskValue(field: FieldName, value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string') return '[masked]';
  switch (field) {
    case 'customer.phone':
      return keepLastDigits(value, 2);
    case 'payment.card':
      return keepLastDigits(value, 4);
    case 'customer.account':
      return keepLastDigits(value, 3).replace(/[A-Za-z]/g, BULLET);
    case 'customer.email': {
      const at = value.lastIndexOf('@');
      const tld = value.slice(value.lastIndexOf('.'));
      return at > 0 ? `${value[0]}${BULLET.repeat(3)}@${BULLET.repeat(3)}${tld}` : '[masked]';
    }
    case 'customer.name':
    case 'agent.name':
      return value
        .split(/\s+/)
        .filter(Boolean)
        .map((part) => `${[...part][0]}.`)
        .join(' ');
    default:
      return '[redacted]';
  }
}

/** Dotted paths of a field in a record; `[]` walks every element of an array (`participants[].phone`). */
export type FieldPaths = Partial<Record<FieldName, readonly string[]>>;

function apply(
  target: unknown,
  segments: readonly string[],
  action: (parent: Record<string, unknown>, key: string) => void,
) {
  if (target === null || typeof target !== 'object') return;
  const [head, ...rest] = segments;
  if (head === undefined) return;
  const isArray = head.endsWith('[]');
  const key = isArray ? head.slice(0, -2) : head;
  const parent = target as Record<string, unknown>;
  if (!Object.hasOwn(parent, key)) return;
  if (rest.length === 0 && !isArray) {
    action(parent, key);
    return;
  }
  const child = parent[key];
  if (isArray && Array.isArray(child)) {
    for (const element of child) apply(element, rest, action);
  } else if (!isArray) {
    apply(child, rest, action);
  }
}

/**
 * A copy of `record` shaped for the caller's field visibility: unmasked fields as they are,
 * masked fields through maskValue, omitted fields removed. Features describe where each field
 * lives in their record; anything not described is left to the feature's own redacted view.
 */
export function projectFields<T>(
  record: T,
  paths: FieldPaths,
  visibility: Readonly<Record<FieldName, FieldVisibility>>,
): T {
  const copy = structuredClone(record);
  for (const [field, fieldPaths] of Object.entries(paths) as [FieldName, readonly string[]][]) {
    const seen = visibility[field];
    if (seen === 'unmasked') continue;
    for (const path of fieldPaths) {
      apply(copy, path.split('.'), (parent, key) => {
        if (seen === 'omitted') delete parent[key];
        else parent[key] = maskValue(field, parent[key]);
      });
    }
  }
  return copy;
}
