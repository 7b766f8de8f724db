import './app/bootstrap/threadpool';
import 'pg';

import { parseArgs } from 'node:util';

import { NestFactory } from '@nestjs/core';
import PgBoss from 'pg-boss';
import { DataSource } from 'typeorm';

import { AppModule } from './app/app.module';
import { databaseFor } from './app/bootstrap/database-for';
import { ConfigError } from './app/config/config-error';
import { loadConfig, loadMigrationConfig } from './app/config/load-config';
import { buildDataSourceOptions } from './app/database/data-source-options';
import { JobQueue } from './app/queue/job-queue.service';
import { UsersService } from './app/users/users.service';

const USAGE = `Usage:
  cli migrate                                   apply database migrations (tables and the job queue)
  cli user:create --email ADDRESS [--name NAME] create a user and send the invitation email`;

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

class UsageError extends Error {}

async function main(): Promise<void> {
  const [command, ...args] = process.argv.slice(2);
  switch (command) {
    case 'migrate':
      return migrate();
    case 'user:create':
      return createUser(args);
    default:
      throw new UsageError(command ? `unknown command ${command}` : 'no command given');
  }
}

main().catch((error: unknown) => {
  if (error instanceof UsageError) console.error(`${error.message}\n\n${USAGE}`);
  else if (error instanceof ConfigError) console.error(error.message);
  else if (error instanceof Error && error.message.includes('uq_users_email'))
    console.error('A user with this email already exists');
  else console.error(error);
  process.exit(1);
});
