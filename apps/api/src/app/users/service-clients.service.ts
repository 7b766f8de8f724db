import { SERVICE_SCOPES, ServiceScope } from '@account-recovery/contracts';

import { Inject, Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import { AppConfig } from '../config/app-config';
import { EnvKeyMatcher, generateServiceKey, hashServiceKey } from './service-keys';

export interface ServicePrincipal {
  /** The client's name, or `env` for a key from SERVICE_API_KEYS. */
  name: string;
  scopes: readonly ServiceScope[];
}

/** `last_used_at` is for operators; writing it more than once a minute per client is waste. */
const LAST_USED_RESOLUTION_SECONDS = 60;

/** Managed service keys (table `service_clients`) plus the quick-start keys from the environment. */
@Injectable()
export class ServiceClients {
  private readonly logger = new Logger(ServiceClients.name);
  private readonly envKeys: EnvKeyMatcher;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(ConfigService) config: ConfigService<AppConfig, true>,
  ) {
    this.envKeys = new EnvKeyMatcher(config.get('auth.serviceApiKeys', { infer: true }));
  }

  /** Creates a client; the returned key is the only copy there will ever be. */
  async create(name: string, scopes: ServiceScope[]): Promise<{ id: string; key: string }> {
    const unknown = scopes.filter(
      (scope) => !(SERVICE_SCOPES as readonly string[]).includes(scope),
    );
    if (unknown.length > 0 || scopes.length === 0) {
      throw new Error(`scopes must be some of ${SERVICE_SCOPES.join(', ')}`);
    }
    const key = generateServiceKey();
    const [row] = (await this.dataSource.query(
      `INSERT INTO service_clients (name, key_hash, scopes) VALUES ($1, $2, $3) RETURNING id`,
      [name, hashServiceKey(key), [...new Set(scopes)]],
    )) as { id: string }[];
    return { id: row.id, key };
  }

  /** Revokes a client's key at once; true when there was an active client of that name. */
  async revoke(name: string): Promise<boolean> {
    const rows = (await this.dataSource.query(
      `UPDATE service_clients SET revoked_at = now() WHERE name = $1 AND revoked_at IS NULL RETURNING id`,
      [name],
    )) as [unknown[], number];
    return rows[1] > 0;
  }

  async list(): Promise<
    {
      name: string;
      scopes: string[];
      createdAt: Date;
      lastUsedAt: Date | null;
      revokedAt: Date | null;
    }[]
  > {
    return this.dataSource.query(
      `SELECT name, scopes, created_at AS "createdAt", last_used_at AS "lastUsedAt", revoked_at AS "revokedAt"
         FROM service_clients ORDER BY name`,
    );
  }

  /** The caller behind a presented key, or null. */
  async authenticate(key: string): Promise<ServicePrincipal | null> {
    if (this.envKeys.matches(key)) return { name: 'env', scopes: SERVICE_SCOPES };
    const [client] = (await this.dataSource.query(
      `SELECT id, name, scopes,
              last_used_at IS NULL OR last_used_at < now() - make_interval(secs => $2) AS stale
         FROM service_clients WHERE key_hash = $1 AND revoked_at IS NULL`,
      [hashServiceKey(key), LAST_USED_RESOLUTION_SECONDS],
    )) as { id: string; name: string; scopes: ServiceScope[]; stale: boolean }[];
    if (!client) return null;
    if (client.stale) {
      this.dataSource
        .query(`UPDATE service_clients SET last_used_at = now() WHERE id = $1`, [client.id])
        .catch((error: Error) => this.logger.warn(`last_used_at not recorded: ${error.message}`));
    }
    return { name: client.name, scopes: client.scopes };
  }
}
