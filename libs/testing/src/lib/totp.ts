import { createHmac } from 'node:crypto';

const PERIOD_MS = 30_000;
/** Margin before a step ends within which a code is not used: it might arrive a step late. */
const EDGE_MS = 2_500;

/**
 * RFC 6238 TOTP written out here, independent of the library the API uses, so a wrong
 * parameter on the server side (digits, period, algorithm, secret encoding) cannot cancel
 * out in the tests.
 */
export function totpAt(secretBase32: string, step: number): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const digest = createHmac('sha1', base32Decode(secretBase32)).update(counter).digest();
  const offset = (digest.at(-1) ?? 0) & 0x0f;
  const binary = digest.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 1_000_000).padStart(6, '0');
}

function base32Decode(input: string): Buffer {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const char of input.replace(/=+$/, '').toUpperCase()) {
    const value = alphabet.indexOf(char);
    if (value < 0) throw new Error('not base32');
    bits += value.toString(2).padStart(5, '0');
  }
  const bytes = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}

/**
 * Fresh codes for one authenticator: the API accepts each time step once, and a step
 * within one of now either way. Each call returns the code of the next unused step,
 * waiting when that step is not yet within the window (or is about to leave it).
 */
export class TestAuthenticator {
  private lastStep = -1;

  constructor(readonly secret: string) {}

  async nextCode(): Promise<string> {
    for (;;) {
      const now = Date.now();
      const current = Math.floor(now / PERIOD_MS);
      const intoStep = now % PERIOD_MS;
      // The earliest step still safely inside the window when the code arrives.
      const earliest = intoStep > PERIOD_MS - EDGE_MS ? current : current - 1;
      const step = Math.max(this.lastStep + 1, earliest);
      // The step after the current one is accepted now and stays valid after the rollover.
      if (step <= current + 1) {
        this.lastStep = step;
        return totpAt(this.secret, step);
      }
      await new Promise((resolve) => setTimeout(resolve, PERIOD_MS - intoStep + 50));
    }
  }

  /** A code of the current step that is certainly wrong. */
  wrongCode(): string {
    const step = Math.floor(Date.now() / PERIOD_MS);
    const valid = new Set([step - 1, step, step + 1].map((s) => totpAt(this.secret, s)));
    for (let n = 0; ; n++) {
      const candidate = String((123_456 + n * 7_919) % 1_000_000).padStart(6, '0');
      if (!valid.has(candidate)) return candidate;
    }
  }
}
