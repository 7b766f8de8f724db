import { DynamicModule, Global, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';

import { AuthModule } from './auth/auth.module';
import { loggerOptions } from './bootstrap/logger-options';
import { AppConfig } from './config/app-config';
import { buildDataSourceOptions } from './database/data-source-options';
import { DATABASE_URL } from './database/database-url';
import { EventsApiModule } from './events/events-api.module';
import { EventsModule } from './events/events.module';
import { HealthModule } from './health/health.module';
import { MetricsModule } from './metrics/metrics.module';
import { QueueModule } from './queue/queue.module';
import { RetentionModule } from './retention/retention.module';
import { UsersModule } from './users/users.module';
import { WebhooksModule } from './webhooks/webhooks.module';

@Global()
@Module({})
class DatabaseUrlModule {
  static register(url: string): DynamicModule {
    return {
      module: DatabaseUrlModule,
      providers: [{ provide: DATABASE_URL, useValue: url }],
      exports: [DATABASE_URL],
    };
  }
}

/**
 * The whole service, for every process role. Built from a configuration validated before
 * Nest starts, and the database URL actually in use (DATABASE_URL or the embedded server's).
 * What a role runs is decided by the configuration (role `api`: the job workers'
 * concurrency is zero, so they never start) and by the bootstrap (role `worker`: an
 * application context without the HTTP API, bootstrap/worker-process.ts).
 */
@Module({})
export class AppModule {
  static register(config: AppConfig, databaseUrl: string): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: [() => config] }),
        LoggerModule.forRoot(loggerOptions(config)),
        DatabaseUrlModule.register(databaseUrl),
        TypeOrmModule.forRoot({
          ...buildDataSourceOptions(databaseUrl, config.database.poolSize),
          migrationsRun: config.database.migrateOnStart,
        }),
        MetricsModule,
        QueueModule,
        WebhooksModule,
        EventsModule,
        AuthModule,
        UsersModule,
        EventsApiModule,
        HealthModule,
        RetentionModule,
      ],
    };
  }
}
