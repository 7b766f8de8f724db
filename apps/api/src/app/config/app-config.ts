/** The validated, typed configuration of the API; README and docs/operations.md list the variables. */
export type NodeEnv = 'development' | 'test' | 'production';

export interface AppConfig {
  nodeEnv: NodeEnv;
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
    /** Emails this replica sends at once; 0 = this replica sends none (API-only role). */
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
    /** Flush jobs this replica runs at once; 0 = this replica delivers none. */
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
