import { signWebhook } from './webhook-signature';

/** How long a receiver has to answer before the attempt counts as failed. */
export const DELIVERY_TIMEOUT_MS = 10_000;
const USER_AGENT = 'account-recovery-webhooks/1';

export type DeliveryOutcome = { ok: true; status: number } | { ok: false; error: string };

/**
 * One Standard Webhooks delivery: a signed POST, 2xx or failure. Redirects are not
 * followed (a moved endpoint is a configuration change, not something to chase). The
 * error is a short message for `last_error` and logs: never the URL (its path may be a
 * secret), the body or the receiver's answer.
 */
export async function sendWebhook(
  request: { url: string; key: Buffer; messageId: string; body: string },
  abort?: AbortSignal,
): Promise<DeliveryOutcome> {
  const timestamp = Math.floor(Date.now() / 1000);
  const timeout = AbortSignal.timeout(DELIVERY_TIMEOUT_MS);
  try {
    const response = await fetch(request.url, {
      method: 'POST',
      redirect: 'manual',
      signal: abort ? AbortSignal.any([timeout, abort]) : timeout,
      headers: {
        'content-type': 'application/json',
        'user-agent': USER_AGENT,
        'webhook-id': request.messageId,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': signWebhook(request.key, request.messageId, timestamp, request.body),
      },
      body: request.body,
    });
    // Frees the connection; what the receiver says is not ours to keep.
    await response.body?.cancel().catch(() => undefined);
    if (response.status >= 200 && response.status < 300)
      return { ok: true, status: response.status };
    return { ok: false, error: `HTTP ${response.status}` };
  } catch (error) {
    if (timeout.aborted)
      return { ok: false, error: `no answer within ${DELIVERY_TIMEOUT_MS / 1000} s` };
    if (abort?.aborted) return { ok: false, error: 'interrupted by shutdown' };
    const cause = (error as { cause?: { code?: unknown } }).cause;
    const code = typeof cause?.code === 'string' ? cause.code : (error as Error).name;
    return { ok: false, error: `network error (${code})` };
  }
}
