/**
 * The npm peers measured side by side with Vigil: redact-pii (SyncRedactor, built-in rules)
 * and @redactpii/node (Redactor, default rules, no API key so nothing leaves the process).
 */
import { Redactor } from '@redactpii/node';
import { SyncRedactor } from 'redact-pii';

export interface Peer {
  name: string;
  redact(text: string): string;
}

export function createPeers(): Peer[] {
  const redactPii = new SyncRedactor();
  const redactpiiNode = new Redactor();
  return [
    { name: 'redact-pii', redact: (t) => redactPii.redact(t) },
    { name: '@redactpii/node', redact: (t) => redactpiiNode.redact(t) },
  ];
}
