import type { RequestMeta } from '../queue/account-email.job';
import type { SecurityEvent } from './security-event-types';

/** Who and from where, for an event: the request's (or the job's) meta. */
export type EventOrigin = Pick<SecurityEvent, 'actor' | 'ip' | 'userAgent'>;

/**
 * The origin of an event caused by this request. A job queued before RequestMeta carried
 * an actor was a person's request or a service's; without the actor, `self` is the guess
 * that never claims a service did what it did not.
 */
export function originOf(meta: RequestMeta | null | undefined): EventOrigin {
  return { actor: meta?.actor ?? 'self', ip: meta?.ip ?? null, userAgent: meta?.userAgent ?? null };
}

/** Work of our own (workers, purges): no request behind it. */
export const SYSTEM_ORIGIN: EventOrigin = { actor: 'system', ip: null, userAgent: null };
