import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../test/harness/test-vigil.ts';
import { buildHttpApp } from '../main.ts';
import { createActiveUser, signIn } from './identity.test-support.ts';

/** Just enough CBOR (RFC 8949) for WebAuthn: integers, byte and text strings, maps. */
function cbor(value: unknown): Buffer {
  const head = (major: number, n: number): Buffer => {
    if (n < 24) return Buffer.from([(major << 5) | n]);
    if (n < 256) return Buffer.from([(major << 5) | 24, n]);
    if (n < 65536) return Buffer.from([(major << 5) | 25, n >> 8, n & 0xff]);
    const b: Buffer = Buffer.alloc(5);
    b[0] = (major << 5) | 26;
    b.writeUInt32BE(n, 1);
    return b;
  };
  if (typeof value === 'number') return value >= 0 ? head(0, value) : head(1, -1 - value);
  if (Buffer.isBuffer(value)) return Buffer.concat([head(2, value.length), value]);
  if (typeof value === 'string') {
    const bytes = Buffer.from(value, 'utf8');
    return Buffer.concat([head(3, bytes.length), bytes]);
  }
  if (value instanceof Map) {
    const parts = [head(5, value.size)];
    for (const [k, v] of value) parts.push(cbor(k), cbor(v));
    return Buffer.concat(parts);
  }
  throw new Error('unsupported CBOR value');
}

/** A software authenticator: one P-256 key, attestation "none", signatures over authData || hash(clientData). */
class SoftAuthenticator {
  readonly credentialId = randomBytes(16);
  private readonly keys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  private signCount = 0;
  constructor(
    private readonly rpId: string,
    private readonly origin: string,
  ) {}

  private authData(flags: number, attested?: Buffer): Buffer {
    const count = Buffer.alloc(4);
    count.writeUInt32BE(this.signCount);
    const parts: Buffer[] = [createHash('sha256').update(this.rpId).digest(), Buffer.from([flags]), count];
    if (attested) parts.push(attested);
    return Buffer.concat(parts);
  }

  private clientData(type: string, challenge: string): Buffer {
    return Buffer.from(JSON.stringify({ type, challenge, origin: this.origin, crossOrigin: false }));
  }

  create(challenge: string) {
    const jwk = (this.keys.publicKey as KeyObject).export({ format: 'jwk' });
    const coseKey = cbor(
      new Map<number, unknown>([
        [1, 2],
        [3, -7],
        [-1, 1],
        [-2, Buffer.from(jwk.x!, 'base64url')],
        [-3, Buffer.from(jwk.y!, 'base64url')],
      ]),
    );
    const idLength = Buffer.from([0, this.credentialId.length]);
    const attested = Buffer.concat([Buffer.alloc(16), idLength, this.credentialId, coseKey]);
    const attestationObject = cbor(
      new Map<string, unknown>([
        ['fmt', 'none'],
        ['attStmt', new Map()],
        ['authData', this.authData(0x45, attested)],
      ]),
    );
    const id = this.credentialId.toString('base64url');
    return {
      id,
      rawId: id,
      type: 'public-key',
      clientExtensionResults: {},
      response: {
        clientDataJSON: this.clientData('webauthn.create', challenge).toString('base64url'),
        attestationObject: attestationObject.toString('base64url'),
        transports: ['internal'],
      },
    };
  }

  get(challenge: string) {
    this.signCount += 1;
    const authenticatorData = this.authData(0x05);
    const clientDataJSON = this.clientData('webauthn.get', challenge);
    const signed = Buffer.concat([authenticatorData, createHash('sha256').update(clientDataJSON).digest()]);
    const id = this.credentialId.toString('base64url');
    return {
      id,
      rawId: id,
      type: 'public-key',
      clientExtensionResults: {},
      response: {
        clientDataJSON: clientDataJSON.toString('base64url'),
        authenticatorData: authenticatorData.toString('base64url'),
        signature: sign('sha256', signed, this.keys.privateKey).toString('base64url'),
      },
    };
  }
}

describeEachDialect('identity passkeys', (get) => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildHttpApp(get().vigil);
  });
  afterAll(async () => {
    await app.close();
  });

  it('registers passkeys, signs in with one, refuses a replayed assertion and removes by id', async () => {
    const t = get();
    const url = new URL(t.vigil.identity.publicUrl);
    const user = await createActiveUser(t.vigil);
    const browser = await signIn(app, t, user);
    const laptop = new SoftAuthenticator(url.hostname, url.origin);
    const options = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/mfa/passkeys/options',
      headers: browser.headers(true),
    });
    expect(options.statusCode, options.body).toBe(200);
    const reg = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/mfa/passkeys',
      headers: browser.headers(true),
      payload: { name: 'Laptop', response: laptop.create(options.json().options.challenge) },
    });
    expect(reg.statusCode, reg.body).toBe(200);
    expect(reg.json().recoveryCodes).toHaveLength(10);

    const step1 = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: user.email, password: user.password },
    });
    expect(step1.json().methods).toContain('passkey');
    const { challengeToken, passkeyOptions } = step1.json();
    expect(passkeyOptions.allowCredentials[0].id).toBe(laptop.credentialId.toString('base64url'));
    const assertion = laptop.get(passkeyOptions.challenge);
    const done = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login/mfa',
      payload: { challengeToken, proof: { method: 'passkey', response: assertion } },
    });
    expect(done.statusCode, done.body).toBe(200);

    const again = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: user.email, password: user.password },
    });
    const replay = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login/mfa',
      payload: {
        challengeToken: again.json().challengeToken,
        proof: { method: 'passkey', response: assertion },
      },
    });
    expect(replay.statusCode).toBe(401);

    // A second, named passkey; then remove the first (the second keeps MFA in place).
    const phone = new SoftAuthenticator(url.hostname, url.origin);
    const options2 = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/mfa/passkeys/options',
      headers: browser.headers(true),
    });
    expect(options2.statusCode).toBe(200);
    const reg2 = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/mfa/passkeys',
      headers: browser.headers(true),
      payload: { name: 'Phone', response: phone.create(options2.json().options.challenge) },
    });
    expect(reg2.statusCode, reg2.body).toBe(200);
    expect(reg2.json().recoveryCodes).toBeNull();
    const list = await app.inject({ method: 'GET', url: '/api/v1/auth/mfa', headers: browser.headers() });
    expect(
      list
        .json()
        .passkeys.map((p: { name: string }) => p.name)
        .sort(),
    ).toEqual(['Laptop', 'Phone']);
    const remove = await app.inject({
      method: 'DELETE',
      url: `/api/v1/auth/mfa/passkeys/${reg.json().passkey.id}`,
      headers: browser.headers(true),
    });
    expect(remove.statusCode, remove.body).toBe(200);
    const last = await app.inject({
      method: 'DELETE',
      url: `/api/v1/auth/mfa/passkeys/${reg2.json().passkey.id}`,
      headers: browser.headers(true),
    });
    expect(last.json().error.code).toBe('MFA_LAST_FACTOR');
  });

  it('rejects an attestation for another origin or a forged signature', async () => {
    const t = get();
    const url = new URL(t.vigil.identity.publicUrl);
    const user = await createActiveUser(t.vigil);
    const browser = await signIn(app, t, user);
    const phishing = new SoftAuthenticator(url.hostname, 'https://vigil.evil.example');
    const options = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/mfa/passkeys/options',
      headers: browser.headers(true),
    });
    const reg = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/mfa/passkeys',
      headers: browser.headers(true),
      payload: { name: 'Evil', response: phishing.create(options.json().options.challenge) },
    });
    expect(reg.statusCode).toBe(400);
    expect(reg.json().error.code).toBe('PASSKEY_REJECTED');
  });
});
