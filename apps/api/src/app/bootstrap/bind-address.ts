import { AppConfig } from '../config/app-config';

/** The address the API and a worker's health port listen on. */
export function bindAddress(_config: AppConfig): string {
  return '0.0.0.0';
}
