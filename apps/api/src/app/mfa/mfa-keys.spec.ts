import { randomBytes, randomUUID } from 'node:crypto';

import { ConfigService } from '@nestjs/config';

import { MfaKeys } from './mfa-keys';

function keysWith(hexKey: string): MfaKeys {
  const config = { get: () => hexKey } as unknown as ConfigService;
  return new MfaKeys(config as never);
}

describe('MfaKeys', () => {
  const keys = keysWith(randomBytes(32).toString('hex'));
  const factorId = randomUUID();
  const userId = randomUUID();
  const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

  it('should encrypt a secret so it reads back only for its own row and user', () => {
    const stored = keys.encryptSecret(secret, factorId, userId);
    expect(stored).not.toContain(secret);
    expect(stored.startsWith('v1.')).toBe(true);
    expect(keys.decryptSecret(stored, factorId, userId)).toBe(secret);
    // A fresh IV each time: the same secret never looks the same twice.
    expect(keys.encryptSecret(secret, factorId, userId)).not.toBe(stored);
    expect(() => keys.decryptSecret(stored, randomUUID(), userId)).toThrow();
    expect(() => keys.decryptSecret(stored, factorId, randomUUID())).toThrow();
    expect(() =>
      keysWith(randomBytes(32).toString('hex')).decryptSecret(stored, factorId, userId),
    ).toThrow();
  });

  it('should refuse a ciphertext with any byte changed', () => {
    const stored = keys.encryptSecret(secret, factorId, userId);
    const parts = stored.split('.');
    for (let part = 1; part < parts.length; part++) {
      const bytes = Buffer.from(parts[part] as string, 'base64url');
      bytes[0] = (bytes[0] ?? 0) ^ 1;
      const altered = [...parts];
      altered[part] = bytes.toString('base64url');
      expect(() => keys.decryptSecret(altered.join('.'), factorId, userId)).toThrow();
    }
    expect(() => keys.decryptSecret('garbage', factorId, userId)).toThrow();
  });

  it('should hash codes under keys of their own, never as a plain digest', () => {
    const recovery = keys.hashRecoveryCode('7KQ2MXH4TP');
    const reset = keys.hashResetCode('7KQ2MXH4TP');
    expect(recovery).toMatch(/^[0-9a-f]{64}$/);
    expect(reset).not.toBe(recovery);
    expect(keysWith(randomBytes(32).toString('hex')).hashRecoveryCode('7KQ2MXH4TP')).not.toBe(
      recovery,
    );
    expect(keys.hashRecoveryCode('7KQ2MXH4TP')).toBe(recovery);
  });
});
