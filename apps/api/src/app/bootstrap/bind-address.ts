import { AppConfig } from '../config/app-config';

/**
 * The address the API and a worker's health port listen on: one place for both (HOST,
 * once configurable; every interface until then, as before).
 */
export function bindAddress(config: AppConfig): string {
  return (config.http as { host?: string }).host ?? '0.0.0.0';
}
