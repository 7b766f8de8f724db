import type { Locale } from '@account-recovery/contracts';

import type { TrustProxySetting } from './trust-proxy';

/** The validated, typed configuration of the API; docs/operations.md describes the variables. */
export type NodeEnv = 'development' | 'test' | 'production';

/** What one process runs (PROCESS_ROLE); one build serves every role. */
export const PROCESS_ROLES = ['api', 'worker', 'all'] as const;
export type ProcessRole = (typeof PROCESS_ROLES)[number];

export interface AppConfig {
  nodeEnv: NodeEnv;
  process: {
    /**
     * `api`: the HTTP API, enqueueing but running no job worker; `worker`: the job workers,
     * with only health and metrics on `workerHealthPort`; `all`: both in one process.
     */
    role: ProcessRole;
    /** Where a `worker` process serves its health checks and metrics. */
    workerHealthPort: number;
    /**
     * The CPU priority (nice value, 0 to 19) a `worker` process gives itself (WORKER_NICE):
     * on a host it shares with an API replica, answering requests comes before sending.
     */
    workerNice: number;
  };
  http: {
    /** Bind address (HOST): loopback unless the image or compose says 0.0.0.0. */
    host: string;
    port: number;
    /** Who may set X-Forwarded-For (TRUST_PROXY); see config/trust-proxy.ts. */
    trustProxy: TrustProxySetting;
    /** Base of every emailed link and the only origin CORS admits. */
    portalUrl: string;
    /** Serve Swagger UI and the OpenAPI document (API_DOCS=public; off in production). */
    apiDocs: boolean;
  };
  database: {
    /** Absent only outside production: the embedded server is started instead. */
    url: string | null;
    migrateOnStart: boolean;
    poolSize: number;
  };
  mail: {
    smtpUrl: string;
    from: string;
    productName: string;
    supportEmail: string;
    /** The language of an email, or of an error answer, when nothing else chose one. */
    defaultLocale: Locale;
    retryLimit: number;
    retryDelaySeconds: number;
    /** Emails this replica sends at once; 0 = this replica sends none (always with role `api`). */
    workerConcurrency: number;
  };
  auth: {
    resetTokenTtlMinutes: number;
    inviteTokenTtlHours: number;
    resetEmailsPerHour: number;
    resetEmailCooldownSeconds: number;
    bcryptCost: number;
    /** HMAC key of every new password hash (PASSWORD_PEPPER); never logged. */
    passwordPepper: string;
    /** The pepper before the last rotation: its hashes still verify until upgraded. */
    passwordPepperPrevious: string | null;
    /** Hashes and comparisons that may wait for a thread; beyond it, 503 at once. */
    hashQueueLimit: number;
    jwtSecret: string;
    /** True when the secret was generated at start (development only). */
    jwtSecretGenerated: boolean;
    accessTokenTtlSeconds: number;
    serviceApiKeys: string[];
  };
  mfa: {
    /**
     * MFA_ENCRYPTION_KEY as 64 hex characters: encrypts authenticator secrets (AES-256-GCM)
     * and keys the hashes of recovery and reset codes; never logged.
     */
    encryptionKey: string;
  };
  rateLimits: {
    forgotPerMinute: number;
    validatePerMinute: number;
    resetPerMinute: number;
    loginPerMinute: number;
    /** Code exchanges (POST /auth/reset-password/code) and second-factor management. */
    codePerMinute: number;
  };
  /** Who counts as one client, and the sign-in budgets all clients share. */
  rateLimitScope: {
    /** IPv6 clients are counted per network of this many leading bits (64: a /64). */
    ipv6PrefixBits: number;
    /** Sign-ins this replica admits per second, all clients together. */
    loginPerSecondPerReplica: number;
    /** Sign-ins all replicas together admit per second (counted in Redis); 0: none. */
    loginPerSecondShared: number;
  };
  webhooks: {
    /** Empty: no webhooks. */
    endpoints: WebhookEndpoint[];
    retryLimit: number;
    retryDelaySeconds: number;
    /** Flush jobs this replica runs at once; 0 = this replica delivers none (role `api`). */
    workerConcurrency: number;
  };
  /** What the scheduled purge deletes, and when (docs/operations.md, "Retention"). */
  retention: {
    /** Reset and invitation links: kept this long after they were used, revoked or expired. */
    tokenDays: number;
    /** Delivered webhook events (their bodies hold addresses). */
    webhookEventDays: number;
    /** Security events (docs/architecture.md §10): the audit trail, a year by default. */
    eventDays: number;
    /** Finished jobs (they carry addresses) leave pg-boss's job table for its archive after this. */
    jobArchiveAfterSeconds: number;
    /** ...and are deleted from the archive this long after that. */
    jobDeleteAfterHours: number;
    /** One purge per this interval across all replicas that run workers. */
    purgeIntervalMinutes: number;
  };
  /** The account rules of the password policy (docs/operations.md, "Password rules"). */
  passwordRules: {
    /** PASSWORD_MIN_LENGTH: characters after NFKC, 8 to 64 (NIST SP 800-63B-4: 15). */
    minLength: number;
    /**
     * PASSWORD_HISTORY: how many of the account's passwords a new one must differ from,
     * the current one included (1: only the current one; 0: no reuse check at all).
     */
    history: number;
    /** Base URL of a k-anonymity range API (`${base}/range/ABCDE`); null: no breach check. */
    pwnedPasswordsUrl: string | null;
  };
  redisUrl: string | null;
  logLevel: string;
  /** `json` for machines (default), `pretty` for a developer's terminal. */
  logFormat: 'json' | 'pretty';
  /** Create demo@example.com at start (development only). */
  seedDemoUser: boolean;
  /** Production with ALLOW_INSECURE_LOCAL_TRIAL: a mail catcher and http links are accepted. */
  insecureLocalTrial: boolean;
}

/** A receiver of Standard Webhooks deliveries (WEBHOOK_ENDPOINTS). */
export interface WebhookEndpoint {
  /** Normalised (`new URL(...).href`): the key of its rows in webhook_events. */
  url: string;
  /** `whsec_<base64>`; never logged. */
  secret: string;
}
