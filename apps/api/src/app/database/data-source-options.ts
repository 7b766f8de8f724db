import { DataSourceOptions } from 'typeorm';

import { PasswordHistoryEntry } from '../auth/password-history.entity';
import { PasswordResetToken } from '../auth/password-reset-token.entity';
import { MfaChallenge, MfaFactor, RecoveryCode } from '../mfa/mfa.entities';
import { ServiceClient } from '../users/service-client.entity';
import { User } from '../users/user.entity';
import { CreateUsersAndPasswordResetTokens1764000000000 } from './migrations/1764000000000-CreateUsersAndPasswordResetTokens';
import { AddLoginFailureCounters1764000000001 } from './migrations/1764000000001-AddLoginFailureCounters';
import { CreateServiceClientsAndSessionRevocation1764000000002 } from './migrations/1764000000002-CreateServiceClientsAndSessionRevocation';
import { CreateWebhookEvents1764000000003 } from './migrations/1764000000003-CreateWebhookEvents';
import { AddResetTokenClaims1764000000010 } from './migrations/1764000000010-AddResetTokenClaims';
import { AddWebhookDeliveryLeases1764000000040 } from './migrations/1764000000040-AddWebhookDeliveryLeases';
import { CreateMaintenanceRuns1764000000041 } from './migrations/1764000000041-CreateMaintenanceRuns';
import { TuneAutovacuumForHotTables1764000000050 } from './migrations/1764000000050-TuneAutovacuumForHotTables';
import { CreateResetRequestIntake1764000000060 } from './migrations/1764000000060-CreateResetRequestIntake';
import { CreateIssueLinkFunction1764000000070 } from './migrations/1764000000070-CreateIssueLinkFunction';
import { CreateSecondFactor1764000000080 } from './migrations/1764000000080-CreateSecondFactor';
import { AddResetCodes1764000000081 } from './migrations/1764000000081-AddResetCodes';
import { CreatePasswordHistory1764000000090 } from './migrations/1764000000090-CreatePasswordHistory';
import { CreateSecurityEvents1764000000100 } from './migrations/1764000000100-CreateSecurityEvents';
import { AllowEventScopes1764000000101 } from './migrations/1764000000101-AllowEventScopes';
import { AddUserRoles1764000000102 } from './migrations/1764000000102-AddUserRoles';
import { AddUserSearchIndexes1764000000103 } from './migrations/1764000000103-AddUserSearchIndexes';
import { AddUserLocale1764000000110 } from './migrations/1764000000110-AddUserLocale';
import { IssueLinkReturnsLocale1764000000111 } from './migrations/1764000000111-IssueLinkReturnsLocale';
import { GuardSecurityEventsPurge1764000000112 } from './migrations/1764000000112-GuardSecurityEventsPurge';

/** Listed, not globbed: globs do not survive the webpack bundle. */
export const ENTITIES = [
  User,
  PasswordResetToken,
  ServiceClient,
  PasswordHistoryEntry,
  MfaFactor,
  RecoveryCode,
  MfaChallenge,
];
export const MIGRATIONS = [
  CreateUsersAndPasswordResetTokens1764000000000,
  AddLoginFailureCounters1764000000001,
  CreateServiceClientsAndSessionRevocation1764000000002,
  CreateWebhookEvents1764000000003,
  AddResetTokenClaims1764000000010,
  AddWebhookDeliveryLeases1764000000040,
  CreateMaintenanceRuns1764000000041,
  TuneAutovacuumForHotTables1764000000050,
  CreateResetRequestIntake1764000000060,
  CreateIssueLinkFunction1764000000070,
  CreateSecondFactor1764000000080,
  AddResetCodes1764000000081,
  CreatePasswordHistory1764000000090,
  CreateSecurityEvents1764000000100,
  AllowEventScopes1764000000101,
  AddUserRoles1764000000102,
  AddUserSearchIndexes1764000000103,
  AddUserLocale1764000000110,
  IssueLinkReturnsLocale1764000000111,
  GuardSecurityEventsPurge1764000000112,
];

/** One definition for the app and the migration CLI, built from the validated config. */
export function buildDataSourceOptions(url: string, poolSize: number): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'typeorm_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
    extra: {
      max: poolSize,
      // Fail fast when the database is unreachable instead of queueing requests forever.
      connectionTimeoutMillis: 3000,
      idleTimeoutMillis: 30_000,
      application_name: 'account-recovery-api',
    },
  };
}
