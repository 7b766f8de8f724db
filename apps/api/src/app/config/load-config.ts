import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';

import {
  DEFAULT_LOCALE,
  LOCALES,
  PASSWORD_MIN_LENGTH_CEILING as MIN_CEILING,
  PASSWORD_MIN_LENGTH_FLOOR as MIN_FLOOR,
  PASSWORD_MIN_LENGTH,
} from '@account-recovery/contracts';

import { parseWebhookEndpoints } from '../webhooks/webhook-endpoints';
import { AppConfig, NodeEnv, PROCESS_ROLES, ProcessRole } from './app-config';
import { ConfigError } from './config-error';
import { EnvReader } from './env-reader';
import { readMfaKey } from './mfa-key';
import { parsePwnedPasswordsUrl } from './pwned-passwords-url';
import { parseTrustProxy } from './trust-proxy';

const NODE_ENVS: NodeEnv[] = ['development', 'test', 'production'];
const MIN_JWT_SECRET_LENGTH = 32;
/** Values copied from examples and docs that must never guard a production deployment. */
const PLACEHOLDER_SECRETS = [/change.?me/i, /^secret$/i, /example/i, /^x+$/i, /placeholder/i];

/**
 * The pepper of development and test runs: fixed, so hashes survive a restart; public, so
 * production refuses it. Production must set its own PASSWORD_PEPPER.
 */
export const DEVELOPMENT_PASSWORD_PEPPER = 'development-only-password-pepper-not-a-secret';
const MIN_PEPPER_LENGTH = 32;
/** Each remembered password costs one bcrypt comparison per reset attempt: bounded. */
const MAX_PASSWORD_HISTORY = 24;

export const DEFAULT_PORTAL_URL = 'http://localhost:4200';
export const DEFAULT_SMTP_URL = 'smtp://127.0.0.1:1025';
export const DEFAULT_MAIL_FROM = 'Account Recovery <no-reply@localhost>';
/** Loopback unless told otherwise: the image and compose set HOST=0.0.0.0 themselves. */
export const DEFAULT_HOST = '127.0.0.1';
/** Host name of the mail catcher's service in docker/compose.yaml (profile "inbox"). */
export const MAIL_CATCHER_HOST = 'mail-catcher';
/**
 * What marks an SMTP URL as a mail catcher rather than a relay: the compose service, a
 * well-known catcher's name, or port 1025 (the SMTP port maildev, MailHog and Mailpit
 * listen on by default, and that of DEFAULT_SMTP_URL). A catcher shows every reset link to
 * whoever opens its inbox, so production refuses it unless ALLOW_INSECURE_LOCAL_TRIAL is set.
 */
const MAIL_CATCHER_NAMES = new Set([
  MAIL_CATCHER_HOST,
  'maildev',
  'mailhog',
  'mailpit',
  'mailcatcher',
]);
const MAIL_CATCHER_PORT = '1025';
const API_DOCS_MODES = ['public', 'off'] as const;

/**
 * Validates the environment once at boot and returns the typed configuration.
 * Throws a ConfigError that lists every bad variable by name (never by value).
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const read = new EnvReader(env);
  const nodeEnvRaw = read.string('NODE_ENV', 'development');
  const nodeEnv = (NODE_ENVS as string[]).includes(nodeEnvRaw) ? (nodeEnvRaw as NodeEnv) : null;
  if (!nodeEnv) read.problems.push(`NODE_ENV must be one of ${NODE_ENVS.join(', ')}`);
  const production = nodeEnv === 'production';
  const inProduction = 'in production';

  const databaseUrl = read.url('DATABASE_URL', ['postgres:', 'postgresql:']);
  const smtpUrl = read.url('SMTP_URL', ['smtp:', 'smtps:']);
  const portalUrl = read.url('PORTAL_URL', ['http:', 'https:']);
  const redisUrl = read.url('REDIS_URL', ['redis:', 'rediss:']);
  if (production) {
    read.require('DATABASE_URL', databaseUrl, inProduction);
    read.require('SMTP_URL', smtpUrl, inProduction);
    read.require('PORTAL_URL', portalUrl, inProduction);
  }

  const jwtSecretRaw = read.raw('JWT_SECRET');
  if (jwtSecretRaw !== undefined && jwtSecretRaw.length < MIN_JWT_SECRET_LENGTH) {
    read.problems.push(`JWT_SECRET must be at least ${MIN_JWT_SECRET_LENGTH} characters`);
  }
  if (production) {
    read.require('JWT_SECRET', jwtSecretRaw, inProduction);
    if (jwtSecretRaw && PLACEHOLDER_SECRETS.some((p) => p.test(jwtSecretRaw))) {
      read.problems.push('JWT_SECRET is a placeholder value; generate a random one');
    }
  }

  const pepper = read.raw('PASSWORD_PEPPER');
  const previousPepper = read.raw('PASSWORD_PEPPER_PREVIOUS');
  checkPepper(read, 'PASSWORD_PEPPER', pepper, production);
  checkPepper(read, 'PASSWORD_PEPPER_PREVIOUS', previousPepper, production);
  if (production) read.require('PASSWORD_PEPPER', pepper, inProduction);
  if (pepper !== undefined && pepper === previousPepper) {
    read.problems.push('PASSWORD_PEPPER_PREVIOUS must differ from PASSWORD_PEPPER');
  }

  const serviceApiKeys = (read.raw('SERVICE_API_KEYS') ?? '')
    .split(',')
    .map((key) => key.trim())
    .filter((key) => key.length > 0);
  if (serviceApiKeys.some((key) => key.length < 16)) {
    read.problems.push('SERVICE_API_KEYS must hold keys of at least 16 characters');
  }
  if (production && serviceApiKeys.some((key) => PLACEHOLDER_SECRETS.some((p) => p.test(key)))) {
    read.problems.push('SERVICE_API_KEYS holds a placeholder value; generate random keys');
  }

  const insecureLocalTrial = read.bool('ALLOW_INSECURE_LOCAL_TRIAL', false);
  if (production && !insecureLocalTrial) {
    const optIn = 'in production (a local trial sets ALLOW_INSECURE_LOCAL_TRIAL=true)';
    if (smtpUrl && isMailCatcher(new URL(smtpUrl))) {
      read.problems.push(`SMTP_URL must be a real relay, not a mail catcher, ${optIn}`);
    }
    if (portalUrl && new URL(portalUrl).protocol === 'http:') {
      read.problems.push(`PORTAL_URL must use https: ${optIn}`);
    }
  }

  const trustProxy = parseTrustProxy(read.raw('TRUST_PROXY'));
  read.problems.push(...trustProxy.problems);

  const host = read.string('HOST', DEFAULT_HOST);
  if (host !== 'localhost' && isIP(host) === 0) {
    read.problems.push('HOST must be an IP address (127.0.0.1, 0.0.0.0, ::) or localhost');
  }

  const apiDocs = read.string('API_DOCS', production ? 'off' : 'public');
  if (!(API_DOCS_MODES as readonly string[]).includes(apiDocs)) {
    read.problems.push(`API_DOCS must be ${API_DOCS_MODES.join(' or ')}`);
  }
  const roleRaw = read.string('PROCESS_ROLE', 'all');
  const role = (PROCESS_ROLES as readonly string[]).includes(roleRaw)
    ? (roleRaw as ProcessRole)
    : null;
  if (!role) read.problems.push(`PROCESS_ROLE must be one of ${PROCESS_ROLES.join(', ')}`);
  // An API-only process enqueues but never claims: its worker concurrencies are zero
  // whatever MAIL_WORKER_CONCURRENCY and WEBHOOK_WORKER_CONCURRENCY say (still validated).
  const onlyWithWorkers = (concurrency: number) => (role === 'api' ? 0 : concurrency);

  const webhooks = parseWebhookEndpoints(read.raw('WEBHOOK_ENDPOINTS'), production);
  read.problems.push(...webhooks.problems);
  const pwned = parsePwnedPasswordsUrl(
    read.raw('PWNED_PASSWORDS_URL'),
    production,
    insecureLocalTrial,
  );
  read.problems.push(...pwned.problems);

  const config: AppConfig = {
    nodeEnv: nodeEnv ?? 'development',
    process: {
      role: role ?? 'all',
      workerHealthPort: read.int('WORKER_HEALTH_PORT', 3001, 1, 65535),
      workerNice: read.int('WORKER_NICE', 10, 0, 19),
    },
    http: {
      host,
      port: read.int('PORT', 3000, 1, 65535),
      trustProxy: trustProxy.setting,
      portalUrl: (portalUrl ?? DEFAULT_PORTAL_URL).replace(/\/+$/, ''),
      apiDocs: apiDocs === 'public',
    },
    database: {
      url: databaseUrl,
      migrateOnStart: read.bool('DB_MIGRATE_ON_START', !production),
      poolSize: read.int('DB_POOL_SIZE', 10, 1, 100),
    },
    mail: {
      smtpUrl: smtpUrl ?? DEFAULT_SMTP_URL,
      from: read.string('MAIL_FROM', DEFAULT_MAIL_FROM),
      productName: read.string('PRODUCT_NAME', 'Account Recovery'),
      supportEmail: read.string('SUPPORT_EMAIL', 'support@localhost'),
      defaultLocale: read.oneOf('DEFAULT_LOCALE', LOCALES, DEFAULT_LOCALE),
      retryLimit: read.int('MAIL_RETRY_LIMIT', 12, 0, 50),
      retryDelaySeconds: read.int('MAIL_RETRY_DELAY_SECONDS', 5, 1, 3600),
      workerConcurrency: onlyWithWorkers(read.int('MAIL_WORKER_CONCURRENCY', 16, 0, 200)),
    },
    auth: {
      resetTokenTtlMinutes: read.int('RESET_TOKEN_TTL_MINUTES', 15, 5, 60),
      inviteTokenTtlHours: read.int('INVITE_TOKEN_TTL_HOURS', 72, 1, 336),
      resetEmailsPerHour: read.int('RESET_EMAILS_PER_HOUR', 3, 1, 100),
      resetEmailCooldownSeconds: read.int('RESET_EMAIL_COOLDOWN_SECONDS', 60, 0, 3600),
      bcryptCost: read.int('BCRYPT_COST', 12, 10, 15),
      passwordPepper: pepper ?? DEVELOPMENT_PASSWORD_PEPPER,
      passwordPepperPrevious: previousPepper ?? null,
      hashQueueLimit: read.int('HASH_QUEUE_LIMIT', 64, 0, 10_000),
      jwtSecret: jwtSecretRaw ?? randomBytes(48).toString('base64url'),
      jwtSecretGenerated: jwtSecretRaw === undefined,
      accessTokenTtlSeconds: read.int('ACCESS_TOKEN_TTL_SECONDS', 900, 60, 86400),
      serviceApiKeys,
    },
    mfa: { encryptionKey: readMfaKey(read, production) },
    rateLimits: {
      forgotPerMinute: read.int('RATE_LIMIT_FORGOT_PER_MINUTE', 5, 1, 1_000_000),
      validatePerMinute: read.int('RATE_LIMIT_VALIDATE_PER_MINUTE', 30, 1, 1_000_000),
      resetPerMinute: read.int('RATE_LIMIT_RESET_PER_MINUTE', 10, 1, 1_000_000),
      loginPerMinute: read.int('RATE_LIMIT_LOGIN_PER_MINUTE', 10, 1, 1_000_000),
      codePerMinute: read.int('RATE_LIMIT_CODE_PER_MINUTE', 10, 1, 1_000_000),
    },
    rateLimitScope: {
      ipv6PrefixBits: read.int('RATE_LIMIT_IPV6_PREFIX', 64, 32, 128),
      loginPerSecondPerReplica: read.int('RATE_LIMIT_LOGIN_GLOBAL_PER_SECOND', 30, 1, 1_000_000),
      loginPerSecondShared: read.int('RATE_LIMIT_LOGIN_SHARED_PER_SECOND', 0, 0, 1_000_000),
    },
    webhooks: {
      endpoints: webhooks.endpoints,
      retryLimit: read.int('WEBHOOK_RETRY_LIMIT', 12, 0, 50),
      retryDelaySeconds: read.int('WEBHOOK_RETRY_DELAY_SECONDS', 5, 1, 3600),
      workerConcurrency: onlyWithWorkers(read.int('WEBHOOK_WORKER_CONCURRENCY', 4, 0, 50)),
    },
    retention: {
      tokenDays: read.int('TOKEN_RETENTION_DAYS', 30, 1, 3650),
      webhookEventDays: read.int('WEBHOOK_RETENTION_DAYS', 7, 1, 3650),
      // At least 30: the trail's trigger refuses to delete younger events (migration
      // GuardSecurityEventsPurge), and an incident found after a week must still have them.
      eventDays: read.int('EVENTS_RETENTION_DAYS', 365, 30, 3650),
      jobArchiveAfterSeconds: read.int('JOB_ARCHIVE_AFTER_SECONDS', 3600, 60, 604_800),
      jobDeleteAfterHours: read.int('JOB_RETENTION_HOURS', 48, 1, 8760),
      purgeIntervalMinutes: read.int('RETENTION_PURGE_INTERVAL_MINUTES', 60, 1, 1440),
    },
    passwordRules: {
      minLength: read.int('PASSWORD_MIN_LENGTH', PASSWORD_MIN_LENGTH, MIN_FLOOR, MIN_CEILING),
      history: read.int('PASSWORD_HISTORY', 1, 0, MAX_PASSWORD_HISTORY),
      pwnedPasswordsUrl: pwned.url,
    },
    redisUrl,
    logLevel: read.string('LOG_LEVEL', production ? 'info' : 'debug'),
    logFormat: read.string('LOG_FORMAT', 'json') === 'pretty' ? 'pretty' : 'json',
    seedDemoUser: nodeEnv === 'development' && read.bool('SEED_DEMO_USER', true),
    insecureLocalTrial: production && insecureLocalTrial,
  };

  if (!['json', 'pretty'].includes(read.string('LOG_FORMAT', 'json'))) {
    read.problems.push('LOG_FORMAT must be json or pretty');
  }
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(config.logLevel)) {
    read.problems.push('LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent');
  }
  if (config.rateLimitScope.loginPerSecondShared > 0 && !redisUrl) {
    read.problems.push(
      'RATE_LIMIT_LOGIN_SHARED_PER_SECOND needs REDIS_URL, where replicas share it',
    );
  }
  // Processes of a role share one database; an embedded one per process would share nothing.
  if (role && role !== 'all' && !production) {
    read.require('DATABASE_URL', databaseUrl, `when PROCESS_ROLE is ${role}`);
  }
  if (role === 'worker' && config.mail.workerConcurrency === 0) {
    read.problems.push('MAIL_WORKER_CONCURRENCY must be above 0 when PROCESS_ROLE is worker');
  }
  if (role === 'worker' && config.process.workerHealthPort === config.http.port) {
    read.problems.push('WORKER_HEALTH_PORT must differ from PORT');
  }
  const mailFrom = config.mail.from;
  if (/[\r\n]/.test(mailFrom)) read.problems.push('MAIL_FROM must be a single line');

  if (read.problems.length > 0) throw new ConfigError(read.problems);
  return config;
}

/** A pepper: 32+ characters; in production neither a placeholder nor the development value. */
function checkPepper(
  read: EnvReader,
  name: string,
  value: string | undefined,
  production: boolean,
): void {
  if (value === undefined) return;
  if (value.length < MIN_PEPPER_LENGTH) {
    read.problems.push(`${name} must be at least ${MIN_PEPPER_LENGTH} characters`);
  } else if (
    production &&
    (value === DEVELOPMENT_PASSWORD_PEPPER || PLACEHOLDER_SECRETS.some((p) => p.test(value)))
  ) {
    read.problems.push(`${name} is a placeholder value; generate a random one`);
  }
}

function isMailCatcher(url: URL): boolean {
  const firstLabel = url.hostname.toLowerCase().split('.')[0];
  return MAIL_CATCHER_NAMES.has(firstLabel) || url.port === MAIL_CATCHER_PORT;
}

/**
 * Just what `migrate` needs: the database. A migration step in a deployment pipeline must
 * not require the SMTP server or the JWT secret of the service it prepares.
 */
export function loadMigrationConfig(
  env: Record<string, string | undefined> = process.env,
): Pick<AppConfig, 'nodeEnv' | 'database'> {
  const read = new EnvReader(env);
  const nodeEnvRaw = read.string('NODE_ENV', 'development');
  if (!(NODE_ENVS as string[]).includes(nodeEnvRaw)) {
    read.problems.push(`NODE_ENV must be one of ${NODE_ENVS.join(', ')}`);
  }
  const nodeEnv = nodeEnvRaw as NodeEnv;
  const url = read.url('DATABASE_URL', ['postgres:', 'postgresql:']);
  if (nodeEnv === 'production') read.require('DATABASE_URL', url, 'in production');
  if (read.problems.length > 0) throw new ConfigError(read.problems);
  return { nodeEnv, database: { url, migrateOnStart: false, poolSize: 2 } };
}
