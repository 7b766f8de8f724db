import { AppConfig } from '../config/app-config';
import { EmbeddedDatabase, startEmbeddedPostgres } from '../database/embedded-postgres';

/** DATABASE_URL when set; otherwise (never in production) the embedded server. */
export async function databaseFor(
  config: Pick<AppConfig, 'nodeEnv' | 'database'>,
): Promise<EmbeddedDatabase> {
  if (config.database.url) return { url: config.database.url, stop: async () => undefined };
  if (config.nodeEnv === 'production') throw new Error('DATABASE_URL is required in production');
  return startEmbeddedPostgres();
}
