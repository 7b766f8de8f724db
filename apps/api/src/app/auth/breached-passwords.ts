import { createHash } from 'node:crypto';

import { normalisePassword } from '@account-recovery/contracts';

import { Inject, Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Counter } from 'prom-client';

import { AppConfig } from '../config/app-config';
import { Metrics } from '../metrics/metrics.service';

/** What one check found: known to the corpus, unknown, or no answer (the check is skipped). */
export type BreachOutcome = 'hit' | 'miss' | 'skipped';

/** Why a check was skipped: a closed set, so the warning can never carry anything else. */
type SkipReason = 'timeout' | 'unreachable' | 'status' | 'too large' | 'malformed';

/** A reset waits this long at most for the corpus; after it the password is judged without. */
export const BREACH_CHECK_TIMEOUT_MS = 2000;
/**
 * Far above a real answer (a padded range holds 800 to 1,000 lines of about 40 bytes), far
 * below what could hurt a replica: a mirror gone wrong cannot make it buffer without bound.
 */
export const MAX_RANGE_BYTES = 256 * 1024;
const RANGE_LINE = /^([0-9A-F]{35}):(\d+)$/;

class Skip extends Error {
  constructor(readonly reason: SkipReason) {
    super(reason);
  }
}

/**
 * The breach check of the password policy (NIST SP 800-63B-4: refuse passwords known from
 * breaches) against a Have I Been Pwned compatible range API, PWNED_PASSWORDS_URL. Only the
 * first 5 hex characters of the password's SHA-1 leave this process (k-anonymity: hundreds
 * of passwords share them) and `Add-Padding: true` asks for a padded answer, so its size
 * does not narrow the range down either. The corpus is advice, not a dependency: no answer
 * within BREACH_CHECK_TIMEOUT_MS, an error status or an answer that is not a range skips
 * the check, and the warning says only why (docs/architecture.md, "Sign-in and passwords").
 */
@Injectable()
export class BreachedPasswords {
  private readonly logger = new Logger(BreachedPasswords.name);
  private readonly baseUrl: string | null;
  private readonly checks: Counter<'outcome'>;

  constructor(@Inject(ConfigService) config: ConfigService<AppConfig, true>, metrics: Metrics) {
    this.baseUrl = config.get('passwordRules', { infer: true }).pwnedPasswordsUrl;
    this.checks = new Counter({
      name: 'account_recovery_password_breach_checks_total',
      help: 'Breach corpus checks of new passwords by outcome: hit (refused), miss, skipped (no usable answer)',
      labelNames: ['outcome'] as const,
      registers: [metrics.registry],
    });
  }

  /** Whether a corpus is configured at all. */
  get enabled(): boolean {
    return this.baseUrl !== null;
  }

  /** `hit` when the corpus knows the password; null when no corpus is configured. */
  async check(password: string): Promise<BreachOutcome | null> {
    if (this.baseUrl === null) return null;
    const sha1 = createHash('sha1').update(normalisePassword(password), 'utf8').digest('hex');
    const digest = sha1.toUpperCase();
    let outcome: BreachOutcome;
    try {
      const suffixes = await this.range(this.baseUrl, digest.slice(0, 5));
      outcome = suffixes.has(digest.slice(5)) ? 'hit' : 'miss';
    } catch (error) {
      const reason: SkipReason = error instanceof Skip ? error.reason : 'unreachable';
      // Only the reason: no URL of the request, no error text (either could hold the prefix).
      this.logger.warn(
        `Breach corpus check skipped (${reason}); the new password was judged by the other rules only`,
      );
      outcome = 'skipped';
    }
    this.checks.inc({ outcome });
    return outcome;
  }

  /** The suffixes the corpus lists for this prefix with a count above 0 (0: padding). */
  private async range(baseUrl: string, prefix: string): Promise<Set<string>> {
    const signal = AbortSignal.timeout(BREACH_CHECK_TIMEOUT_MS);
    let response: Response;
    try {
      response = await fetch(`${baseUrl}/range/${prefix}`, {
        headers: { 'Add-Padding': 'true', Accept: 'text/plain' },
        // A redirect could lead anywhere, with the prefix in its URL: not followed.
        redirect: 'error',
        signal,
      });
    } catch {
      throw new Skip(signal.aborted ? 'timeout' : 'unreachable');
    }
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      throw new Skip('status');
    }
    const text = await readCapped(response, signal);
    const suffixes = new Set<string>();
    let lines = 0;
    for (const raw of text.split('\n')) {
      const line = raw.trim();
      if (line === '') continue;
      const match = RANGE_LINE.exec(line.toUpperCase());
      if (!match) throw new Skip('malformed');
      lines += 1;
      if (Number(match[2]) > 0) suffixes.add(match[1]);
    }
    // Every prefix of SHA-1 is in the real corpus: an empty answer is a broken mirror.
    if (lines === 0) throw new Skip('malformed');
    return suffixes;
  }
}

/** The body as text, refused beyond MAX_RANGE_BYTES without reading the rest. */
async function readCapped(response: Response, signal: AbortSignal): Promise<string> {
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (declared > MAX_RANGE_BYTES) {
    await response.body?.cancel().catch(() => undefined);
    throw new Skip('too large');
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > MAX_RANGE_BYTES) {
        await reader.cancel().catch(() => undefined);
        throw new Skip('too large');
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof Skip) throw error;
    throw new Skip(signal.aborted ? 'timeout' : 'unreachable');
  }
  return Buffer.concat(chunks).toString('utf8');
}
