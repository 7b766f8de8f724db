import {
  accuracyVerdict,
  ApiProcess,
  bestThresholdAccuracy,
  MailCatcher,
  permutationChance,
  stats,
} from '@account-recovery/testing';

import { resetCodeFromMail } from './support/second-factor';
import { insertUser } from './support/service-api';

const ACCOUNTS = 40;
/** Wrong tries per account: below five, so every known request meets a live code. */
const ROUNDS = 4;
/** The best single-request guess may be right this often; 0.5 is a coin. */
const BUDGET = 0.6;

/**
 * Whether `POST /reset-password/code` tells, by its timing, an address with an open reset
 * request (a wrong code counted on it) from an address without an account. An attacker
 * asks for a reset for the address first, then times the code exchange: if a counted wrong
 * code took longer than "no such request", the account would show. Known and unknown
 * requests alternate on one keep-alive connection; the verdict is the best threshold's
 * accuracy against what shuffled labels reach (libs/testing statistics).
 */
describe('code recovery timing', () => {
  const mail = new MailCatcher();
  let api: ApiProcess;

  beforeAll(async () => {
    await mail.start();
    api = await ApiProcess.start({ SMTP_URL: mail.url, LOG_LEVEL: 'warn' });
  });

  afterAll(async () => {
    await api?.stop();
    await mail.stop();
  });

  it('should take as long for an unknown address as for a wrong code on a live request', async () => {
    const known = Array.from({ length: ACCOUNTS }, (_, i) => `timed${i}@example.com`);
    for (const email of known) await insertUser(api, email);
    const after = mail.mark();
    for (const email of known) {
      expect((await api.post('/api/v1/auth/forgot-password', { email })).status).toBe(202);
    }
    const codes = new Map<string, string>();
    for (const email of known) {
      codes.set(email, resetCodeFromMail(await mail.waitFor(email, { after })));
    }

    const knownMs: number[] = [];
    const unknownMs: number[] = [];
    const timed = async (email: string, code: string): Promise<number> => {
      const started = performance.now();
      const answer = await api.post('/api/v1/auth/reset-password/code', { email, code });
      const elapsed = performance.now() - started;
      expect(answer.body['code']).toBe('CODE_INVALID');
      return elapsed;
    };
    for (let round = 0; round < ROUNDS; round++) {
      for (const [i, email] of known.entries()) {
        const wrong = String((Number(codes.get(email)) + 1 + round) % 1e8).padStart(8, '0');
        const stranger = `stranger${round}-${i}@example.com`;
        // Alternate which goes first, so neither class always follows the other.
        if ((i + round) % 2 === 0) {
          knownMs.push(await timed(email, wrong));
          unknownMs.push(await timed(stranger, wrong));
        } else {
          unknownMs.push(await timed(stranger, wrong));
          knownMs.push(await timed(email, wrong));
        }
      }
    }
    // Every known request met a live code and counted it.
    const [{ counted }] = await api.query<{ counted: number }>(
      `SELECT sum(code_attempts)::int AS counted FROM password_reset_tokens WHERE code_hash IS NOT NULL`,
    );
    expect(counted).toBe(ACCOUNTS * ROUNDS);

    const accuracy = bestThresholdAccuracy(knownMs, unknownMs);
    const chance = permutationChance(knownMs, unknownMs);
    const verdict = accuracyVerdict(accuracy, chance, BUDGET);
    const figures = `accuracy ${accuracy.toFixed(3)}, chance ${chance.toFixed(3)}, known ${JSON.stringify(stats(knownMs))}, unknown ${JSON.stringify(stats(unknownMs))}`;
    console.log(`reset-code timing: ${figures}`);
    expect({ verdict, figures }).toEqual({ verdict: true, figures });
  });
});
