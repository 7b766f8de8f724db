import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * Every metric the service exports. Labels are closed sets (route templates, template
 * names, outcomes): never an address, a token or a user id.
 */
@Injectable()
export class Metrics {
  readonly registry = new Registry();

  readonly httpRequests = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP requests by method, route template and status, with their latency',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  readonly emails = new Counter({
    name: 'account_recovery_emails_total',
    help: 'Email jobs by template and outcome: queued, sent, failed (an attempt failed), retried (an attempt after a failure)',
    labelNames: ['template', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly resetRequests = new Counter({
    name: 'account_recovery_reset_requests_total',
    help: 'Self-service reset requests by what the worker did: emailed, no_account, rate_limited, superseded (a newer request already has its link), already_reset (the person reset since the request)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly tokens = new Counter({
    name: 'account_recovery_tokens_total',
    help: 'Reset and invitation links by event: issued, consumed, revoked',
    labelNames: ['event', 'purpose'] as const,
    registers: [this.registry],
  });

  readonly webhooks = new Counter({
    name: 'account_recovery_webhooks_total',
    help: 'Webhook delivery attempts by event type and outcome: delivered (2xx), failed (anything else; retried)',
    labelNames: ['type', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly resetCodes = new Counter({
    name: 'account_recovery_reset_codes_total',
    help: 'Emailed 8-digit codes presented, by outcome: redeemed, invalid (wrong, unknown or dead alike)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly secondFactorChecks = new Counter({
    name: 'account_recovery_second_factor_checks_total',
    help: 'Second-factor codes checked, by outcome: accepted, rejected (wrong, reused or throttled)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /** A gauge whose value is read from the database (or elsewhere) at scrape time. */
  scrapeGauge(
    name: string,
    help: string,
    read: (gauge: Gauge) => Promise<void>,
    labelNames: string[] = [],
  ): Gauge {
    return new Gauge({
      name,
      help,
      labelNames,
      registers: [this.registry],
      async collect() {
        // A scrape during a database outage reports what it can instead of failing whole.
        await read(this).catch(() => this.reset());
      },
    });
  }
}
