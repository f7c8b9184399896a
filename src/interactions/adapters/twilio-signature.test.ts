import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  computeTwilioSignature,
  verifyTwilioBodySignature,
  verifyTwilioSignature,
} from './twilio-signature.ts';

// The example Twilio publishes in its request-validation snippets (token, URL, parameters, signature).
const TOKEN = '12345';
const URL_ = 'https://mycompany.com/myapp.php?foo=1&bar=2';
const PARAMS = {
  CallSid: 'CA1234567890ABCDE',
  Caller: '+14158675310',
  Digits: '1234',
  From: '+14158675310',
  To: '+18005551212',
};
const SIGNATURE = 'GvWf1cFY/Q7PnoempGyD5oXAezc=';

describe('Twilio request signatures', () => {
  it("matches Twilio's published example", () => {
    expect(computeTwilioSignature(URL_, PARAMS, TOKEN)).toBe(SIGNATURE);
    expect(verifyTwilioSignature(URL_, PARAMS, SIGNATURE, TOKEN)).toBe(true);
  });

  it('accepts the URL with or without the default port, as Twilio may sign either', () => {
    expect(
      verifyTwilioSignature('https://mycompany.com:443/myapp.php?foo=1&bar=2', PARAMS, SIGNATURE, TOKEN),
    ).toBe(true);
    const withPort = computeTwilioSignature('https://mycompany.com:443/myapp.php?foo=1&bar=2', PARAMS, TOKEN);
    expect(withPort).not.toBe(SIGNATURE);
    expect(verifyTwilioSignature(URL_, PARAMS, withPort, TOKEN)).toBe(true);
  });

  it('refuses a wrong signature, token, URL, parameter value or an extra parameter', () => {
    expect(verifyTwilioSignature(URL_, PARAMS, 'GvWf1cFY/Q7PnoempGyD5oXAezd=', TOKEN)).toBe(false);
    expect(verifyTwilioSignature(URL_, PARAMS, SIGNATURE, '12346')).toBe(false);
    expect(
      verifyTwilioSignature('https://mycompany.com/myapp.php?foo=1&bar=3', PARAMS, SIGNATURE, TOKEN),
    ).toBe(false);
    expect(verifyTwilioSignature(URL_, { ...PARAMS, Digits: '1235' }, SIGNATURE, TOKEN)).toBe(false);
    expect(verifyTwilioSignature(URL_, { ...PARAMS, Extra: '' }, SIGNATURE, TOKEN)).toBe(false);
    expect(verifyTwilioSignature(URL_, PARAMS, SIGNATURE.slice(0, 10), TOKEN)).toBe(false);
  });

  it('fails closed on an empty token, an empty signature or an unparsable URL', () => {
    expect(verifyTwilioSignature(URL_, PARAMS, SIGNATURE, '')).toBe(false);
    expect(verifyTwilioSignature(URL_, PARAMS, '', TOKEN)).toBe(false);
    expect(verifyTwilioSignature('not a url', PARAMS, SIGNATURE, TOKEN)).toBe(false);
  });

  it('signs repeated parameters value by value, sorted', () => {
    const signature = computeTwilioSignature(URL_, { Tags: ['b', 'a', 'b'] }, TOKEN);
    expect(signature).toBe(computeTwilioSignature(URL_, { Tags: ['a', 'b'] }, TOKEN));
    expect(verifyTwilioSignature(URL_, { Tags: ['a', 'b'] }, signature, TOKEN)).toBe(true);
    expect(verifyTwilioSignature(URL_, { Tags: ['a', 'c'] }, signature, TOKEN)).toBe(false);
  });

  it('verifies JSON-body webhooks through bodySHA256', () => {
    const body = '{"CallSid":"CA1234567890ABCDE","Caller":"+12349013030"}';
    const url = `https://example.com/myapp?bodySHA256=${createHash('sha256').update(body).digest('hex')}`;
    const signature = computeTwilioSignature(url, {}, TOKEN);
    expect(verifyTwilioBodySignature(url, body, signature, TOKEN)).toBe(true);
    expect(verifyTwilioBodySignature(url, body.replace('CA1', 'CA2'), signature, TOKEN)).toBe(false);
  });
});
