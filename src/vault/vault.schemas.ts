import { z } from 'zod';

const brand = z.enum([
  'visa',
  'mastercard',
  'amex',
  'discover',
  'diners',
  'jcb',
  'unionpay',
  'maestro',
  'mir',
]);

/**
 * Strict: unknown fields are refused, so a client that sends a security code or PIN alongside the
 * card number gets a 400 and the value is never stored (PCI DSS 3.3.1).
 */
export const tokenizeBodySchema = z.strictObject({
  pan: z.string().min(12).max(40).describe('Card number; spaces and dashes are allowed'),
  expiry: z.string().min(4).max(10).optional().describe('Card expiry: MM/YY, MM/YYYY or YYYY-MM'),
});

export const tokenizeResponseSchema = z.object({
  token: z.string(),
  brand,
  last4: z.string(),
  maskedPan: z.string(),
  expiry: z.string().nullable(),
  created: z.boolean(),
});

export const tokenParamsSchema = z.object({
  token: z.string().regex(/^tok_\d{4}_[A-Za-z0-9_-]{24}$/, 'must be a vault token (tok_NNNN_...)'),
});

export const detokenizeBodySchema = z.strictObject({
  reason: z.string().trim().min(10).max(500).describe('Why the card number is needed (audited)'),
});

export const detokenizeResponseSchema = z.object({
  pan: z.string(),
  brand,
  last4: z.string(),
  expiry: z.string().nullable(),
});
