/**
 * What an autocannon run (bench/lib/load.mjs `cannon`, warm-up included) did with the
 * requests it wrote, for the bench's count of the emails they must bring. Pure, unit-tested in
 * load-accounting.spec.ts.
 */
export interface CannonCounts {
  /** Requests written (bodies built: one per request sent). */
  sent: number;
  /** Responses read, warm-up included. */
  answered: number;
  /** Responses that were not 2xx, warm-up included. */
  refused: number;
  /** Connection errors and timeouts. */
  errors: number;
}

export interface Accepted {
  /** Requests the system took: answered 2xx, and those still in flight when the run stopped. */
  accepted: number;
  /**
   * Written, never answered and no error: autocannon stops each connection (at the end of the
   * warm-up and of the run) with its last request on the wire, and the server still serves it;
   * with 32 connections that is 64 requests whose emails arrive although no answer was read.
   */
  inFlightAtStop: number;
}

export function acceptedRequests({ sent, answered, refused, errors }: CannonCounts): Accepted {
  const inFlightAtStop = Math.max(0, sent - answered - errors);
  return { accepted: answered - refused + inFlightAtStop, inFlightAtStop };
}
