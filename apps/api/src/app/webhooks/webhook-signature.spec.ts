import { createHmac, randomBytes } from 'node:crypto';

import { decodeSecret, signWebhook, verifyWebhook } from './webhook-signature';

/**
 * The example of the Standard Webhooks specification and of the reference libraries'
 * tests (svix, standard-webhooks): reproducing it is what says a receiver's off-the-shelf
 * library accepts what we send.
 */
const VECTOR = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};

function keyOf(secret: string): Buffer {
  const key = decodeSecret(secret);
  if (!key) throw new Error('not a secret');
  return key;
}

describe('webhook signatures', () => {
  it('should reproduce the published Standard Webhooks test vector', () => {
    expect(signWebhook(keyOf(VECTOR.secret), VECTOR.id, VECTOR.timestamp, VECTOR.body)).toBe(
      VECTOR.signature,
    );
  });

  it('should match an HMAC computed independently over id.timestamp.body', () => {
    const keyBytes = randomBytes(32);
    const body = JSON.stringify({ type: 'password.changed', data: { userId: 'u', email: 'é@x' } });
    const expected = createHmac('sha256', keyBytes)
      .update(Buffer.from(`msg_1.1700000000.${body}`, 'utf8'))
      .digest('base64');
    expect(
      signWebhook(keyOf(`whsec_${keyBytes.toString('base64')}`), 'msg_1', 1700000000, body),
    ).toBe(`v1,${expected}`);
  });

  it('should verify the vector and refuse a tampered body, another id, another secret or a stale timestamp', () => {
    const key = keyOf(VECTOR.secret);
    const headers = {
      id: VECTOR.id,
      timestamp: String(VECTOR.timestamp),
      signature: VECTOR.signature,
    };
    const now = VECTOR.timestamp + 60;
    expect(verifyWebhook(key, headers, VECTOR.body, now)).toBe(true);
    expect(verifyWebhook(key, headers, '{"test": 2432232315}', now)).toBe(false);
    expect(verifyWebhook(key, { ...headers, id: 'msg_other' }, VECTOR.body, now)).toBe(false);
    expect(verifyWebhook(randomBytes(24), headers, VECTOR.body, now)).toBe(false);
    expect(verifyWebhook(key, headers, VECTOR.body, VECTOR.timestamp + 301)).toBe(false);
    expect(verifyWebhook(key, headers, VECTOR.body, VECTOR.timestamp - 301)).toBe(false);
  });

  it('should accept a matching signature among several (key rotation on the receiver side)', () => {
    const key = keyOf(VECTOR.secret);
    const headers = {
      id: VECTOR.id,
      timestamp: String(VECTOR.timestamp),
      signature: `v1,bm9wZQ== v2,abc ${VECTOR.signature}`,
    };
    expect(verifyWebhook(key, headers, VECTOR.body, VECTOR.timestamp)).toBe(true);
  });

  it('should decode only strict whsec_ base64 secrets of 24 to 64 bytes', () => {
    expect(decodeSecret(VECTOR.secret)?.length).toBe(24);
    expect(decodeSecret(`whsec_${randomBytes(64).toString('base64')}`)?.length).toBe(64);
    expect(decodeSecret(`whsec_${randomBytes(23).toString('base64')}`)).toBeNull();
    expect(decodeSecret(`whsec_${randomBytes(65).toString('base64')}`)).toBeNull();
    expect(decodeSecret('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw')).toBeNull();
    expect(decodeSecret('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2La!aSw')).toBeNull();
    expect(decodeSecret('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaS')).toBeNull();
  });
});
