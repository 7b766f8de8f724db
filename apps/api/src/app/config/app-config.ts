/** The validated, typed configuration of the API; the variables are listed in docs/operations.md. */
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
  };
  http: {
    port: number;
    trustProxy: boolean;
    /** Base of every emailed link and the only origin CORS admits. */
    portalUrl: string;
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
    jwtSecret: string;
    /** True when the secret was generated at start (development only). */
    jwtSecretGenerated: boolean;
    accessTokenTtlSeconds: number;
    serviceApiKeys: string[];
  };
  rateLimits: {
    forgotPerMinute: number;
    validatePerMinute: number;
    resetPerMinute: number;
    loginPerMinute: number;
  };
  webhooks: {
    /** Empty: no webhooks. */
    endpoints: WebhookEndpoint[];
    retryLimit: number;
    retryDelaySeconds: number;
    /** Flush jobs this replica runs at once; 0 = this replica delivers none (role `api`). */
    workerConcurrency: number;
  };
  redisUrl: string | null;
  logLevel: string;
  /** `json` for machines (default), `pretty` for a developer's terminal. */
  logFormat: 'json' | 'pretty';
  /** Create demo@example.com at start (development only). */
  seedDemoUser: boolean;
}

/** A receiver of Standard Webhooks deliveries (WEBHOOK_ENDPOINTS). */
export interface WebhookEndpoint {
  /** Normalised (`new URL(...).href`): the key of its rows in webhook_events. */
  url: string;
  /** `whsec_<base64>`; never logged. */
  secret: string;
}
