import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';

import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';

import { AppConfig } from '../config/app-config';

const CIPHER = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const FORMAT = 'v1';

/** One key per use, derived from MFA_ENCRYPTION_KEY, so no two uses share a key. */
function subkey(master: Buffer, use: string): Buffer {
  return Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), `account-recovery ${use}`, 32));
}

/**
 * The keys behind the second factor and the emailed codes (MFA_ENCRYPTION_KEY).
 *
 * - Authenticator secrets are encrypted with AES-256-GCM; the additional data binds each
 *   ciphertext to its factor row and user, so a row copied onto another account, or one
 *   user's secret swapped into another's row, does not decrypt.
 * - Recovery codes (about 50 bits) and reset codes (8 digits) are short enough to be
 *   found from a plain SHA-256 by trying them all; a keyed HMAC makes a stolen table useless
 *   without the key, and is fast enough to check ten codes without bcrypt's cost.
 */
@Injectable()
export class MfaKeys {
  private readonly secretKey: Buffer;
  private readonly recoveryCodeKey: Buffer;
  private readonly resetCodeKey: Buffer;
  private readonly addressKey: Buffer;

  constructor(@Inject(ConfigService) config: ConfigService<AppConfig, true>) {
    const master = Buffer.from(config.get('mfa.encryptionKey', { infer: true }), 'hex');
    this.secretKey = subkey(master, 'totp secret encryption');
    this.recoveryCodeKey = subkey(master, 'recovery code hash');
    this.resetCodeKey = subkey(master, 'reset code hash');
    this.addressKey = subkey(master, 'reset code address');
  }

  /** `v1.<iv>.<tag>.<ciphertext>`, base64url parts. */
  encryptSecret(secret: string, factorId: string, userId: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(CIPHER, this.secretKey, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(aad(factorId, userId));
    const body = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    return [FORMAT, iv, cipher.getAuthTag(), body].map(encodePart).join('.');
  }

  /** The secret, or an error when the ciphertext was altered, moved or made under another key. */
  decryptSecret(stored: string, factorId: string, userId: string): string {
    const [format, iv, tag, body] = stored.split('.');
    if (format !== FORMAT || !iv || !tag || body === undefined) {
      throw new Error('unreadable authenticator secret');
    }
    const decipher = createDecipheriv(CIPHER, this.secretKey, Buffer.from(iv, 'base64url'), {
      authTagLength: TAG_BYTES,
    });
    decipher.setAAD(aad(factorId, userId));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([
      decipher.update(Buffer.from(body, 'base64url')),
      decipher.final(),
    ]).toString('utf8');
  }

  /** Hex HMAC-SHA-256 of a normalised recovery code. */
  hashRecoveryCode(code: string): string {
    return createHmac('sha256', this.recoveryCodeKey).update(code, 'utf8').digest('hex');
  }

  /** Hex HMAC-SHA-256 of a normalised address: code tries are counted by it, unreadable. */
  hashAddress(address: string): string {
    return createHmac('sha256', this.addressKey).update(address, 'utf8').digest('hex');
  }

  /** Hex HMAC-SHA-256 of an 8-digit reset code. */
  hashResetCode(code: string): string {
    return createHmac('sha256', this.resetCodeKey).update(code, 'utf8').digest('hex');
  }
}

function aad(factorId: string, userId: string): Buffer {
  return Buffer.from(`mfa_factors:${factorId}:${userId}`, 'utf8');
}

function encodePart(part: string | Buffer): string {
  return typeof part === 'string' ? part : part.toString('base64url');
}

/** Constant-time comparison of two hex digests of equal length. */
export function sameDigest(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}
