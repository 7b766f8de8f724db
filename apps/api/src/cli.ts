import './app/bootstrap/threadpool';
import 'pg';

import { parseArgs } from 'node:util';

import { SERVICE_SCOPES, ServiceScope, STAFF_ROLES } from '@account-recovery/contracts';

import { ConfigService } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import PgBoss from 'pg-boss';
import { DataSource } from 'typeorm';

import { AppModule } from './app/app.module';
import { databaseFor } from './app/bootstrap/database-for';
import { ConfigError } from './app/config/config-error';
import { loadConfig, loadMigrationConfig } from './app/config/load-config';
import { buildDataSourceOptions } from './app/database/data-source-options';
import { JobQueue } from './app/queue/job-queue.service';
import { ServiceClients } from './app/users/service-clients.service';
import { changeStaffRole, isStaffRole } from './app/users/staff-roles';
import { UsersService } from './app/users/users.service';

const USAGE = `Usage:
  cli migrate                                      apply database migrations (tables and the job queue)
  cli user:create --email ADDRESS [--name NAME]    create a user and send the invitation email
  cli user:grant --email ADDRESS --role ROLE [--revoke]
                                                   grant (or revoke) a staff role: ${STAFF_ROLES.join(', ')}
  cli client:create --name NAME --scopes S1,S2     create a service client; prints its key once
                                                   (scopes: ${SERVICE_SCOPES.join(', ')})
  cli client:revoke --name NAME                    revoke a service client's key at once
  cli client:list                                  list service clients (never their keys)`;

/** Schema changes as a step of their own (production runs this before starting replicas). */
async function migrate(): Promise<void> {
  const config = loadMigrationConfig();
  const database = await databaseFor(config);
  const dataSource = new DataSource(buildDataSourceOptions(database.url, 2));
  try {
    await dataSource.initialize();
    const applied = await dataSource.runMigrations();
    console.log(
      `Applied ${applied.length} migration(s)${applied.map((m) => `\n  ${m.name}`).join('')}`,
    );
    // pg-boss keeps its own schema; starting it once creates or upgrades that schema.
    const boss = new PgBoss({
      connectionString: database.url,
      max: 1,
      supervise: false,
      schedule: false,
    });
    await boss.start();
    await boss.stop({ graceful: false, wait: true });
    console.log('Job queue schema is up to date');
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
    await database.stop();
  }
}

/** Creates the user through the same service as the REST API, then waits for the email. */
async function createUser(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { email: { type: 'string' }, name: { type: 'string' } },
  });
  if (!values.email) throw new UsageError('--email is required');
  const config = loadConfig();
  const database = await databaseFor(config);
  const app = await NestFactory.createApplicationContext(AppModule.register(config, database.url), {
    logger: ['error', 'warn'],
  });
  try {
    const user = await app.get(UsersService).create(values.email, values.name ?? null, {
      ip: null,
      userAgent: 'cli',
      requestedAt: new Date().toISOString(),
      // An operator at the console: no person or service of ours asked.
      actor: 'system',
    });
    console.log(`Created user ${user.id} <${user.email}>`);
    // This process runs a worker too, so the invitation usually leaves before we exit.
    const sent = await app.get(JobQueue).waitUntilIdle(20_000);
    console.log(sent ? 'Invitation sent' : 'Invitation queued; a running API will send it');
  } finally {
    await app.close();
    await database.stop();
  }
}

/** Service clients and roles need only the database: no SMTP, no JWT secret, no worker. */
async function withDatabase<T>(work: (dataSource: DataSource) => Promise<T>): Promise<T> {
  const config = loadMigrationConfig();
  const database = await databaseFor(config);
  const dataSource = new DataSource(buildDataSourceOptions(database.url, 2));
  try {
    await dataSource.initialize();
    return await work(dataSource);
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
    await database.stop();
  }
}

function withServiceClients<T>(work: (clients: ServiceClients) => Promise<T>): Promise<T> {
  return withDatabase((dataSource) =>
    work(new ServiceClients(dataSource, new ConfigService({ auth: { serviceApiKeys: [] } }))),
  );
}

/** Staff roles are granted here only: no HTTP route can make anyone staff. */
async function grantRole(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { email: { type: 'string' }, role: { type: 'string' }, revoke: { type: 'boolean' } },
  });
  if (!values.email) throw new UsageError('--email is required');
  const role = values.role ?? '';
  if (!isStaffRole(role)) throw new UsageError(`--role must be one of ${STAFF_ROLES.join(', ')}`);
  const email = values.email;
  const change = values.revoke ? 'revoke' : 'grant';
  const user = await withDatabase((dataSource) => changeStaffRole(dataSource, email, role, change));
  if (!user) throw new CommandError(`No user with the address ${email}`);
  const roles = user.roles.length > 0 ? user.roles.join(', ') : 'none';
  const grant = change === 'grant';
  console.log(
    user.changed
      ? `${grant ? 'Granted' : 'Revoked'} ${role} ${grant ? 'to' : 'from'} ${user.email} (${user.id}); roles now: ${roles}`
      : `Nothing to change: ${user.email} (${user.id}) ${grant ? 'already has' : 'does not have'} ${role}; roles: ${roles}`,
  );
  if (grant && !user.hasFactor) {
    // Until then the password alone guards the account: whoever has it can enrol a factor.
    console.warn(
      `Warning: ${user.email} has no second factor yet. Staff access starts once they add one and sign in with it; until then anyone who knows their password could add one first. Safer: revoke, and grant after they have enrolled.`,
    );
  }
}

async function clientCommand(command: string, args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { name: { type: 'string' }, scopes: { type: 'string' } },
  });
  if (command === 'client:list') {
    const clients = await withServiceClients((clients) => clients.list());
    for (const c of clients) {
      const state = c.revokedAt
        ? `revoked ${c.revokedAt.toISOString()}`
        : `last used ${c.lastUsedAt?.toISOString() ?? 'never'}`;
      console.log(`${c.name}\t${c.scopes.join(',')}\t${state}`);
    }
    return;
  }
  if (!values.name) throw new UsageError('--name is required');
  const name = values.name;
  if (command === 'client:revoke') {
    const revoked = await withServiceClients((clients) => clients.revoke(name));
    if (!revoked) throw new UsageError(`no active client named ${name}`);
    console.log(`Revoked ${name}: its key stops working now`);
    return;
  }
  const scopes = (values.scopes ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = scopes.filter((scope) => !(SERVICE_SCOPES as readonly string[]).includes(scope));
  if (scopes.length === 0 || unknown.length > 0) {
    throw new UsageError(`--scopes must list some of ${SERVICE_SCOPES.join(', ')}`);
  }
  const { key } = await withServiceClients((clients) =>
    clients.create(name, scopes as ServiceScope[]),
  );
  console.log(
    `Created ${name} with ${scopes.join(', ')}. Its key, shown only this once:\n\n  ${key}\n`,
  );
  console.log(
    'Send it in the X-API-Key header. Revoke it with: npm run client:revoke -- --name ' + name,
  );
}

class UsageError extends Error {}
/** A well-formed command that cannot be carried out: its message alone, without the usage. */
class CommandError extends Error {}

async function main(): Promise<void> {
  const [command, ...args] = process.argv.slice(2);
  switch (command) {
    case 'migrate':
      return migrate();
    case 'user:create':
      return createUser(args);
    case 'user:grant':
      return grantRole(args);
    case 'client:create':
    case 'client:revoke':
    case 'client:list':
      return clientCommand(command, args);
    default:
      throw new UsageError(command ? `unknown command ${command}` : 'no command given');
  }
}

main().catch((error: unknown) => {
  if (error instanceof UsageError) console.error(`${error.message}\n\n${USAGE}`);
  else if (error instanceof ConfigError || error instanceof CommandError)
    console.error(error.message);
  else if (error instanceof Error && error.message.includes('uq_users_email'))
    console.error('A user with this email already exists');
  else console.error(error);
  process.exit(1);
});
