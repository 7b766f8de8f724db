export * from './lib/api-process';
export * from './lib/database-server';
export * from './lib/load-accounting';
export * from './lib/mail-catcher';
export * from './lib/tcp-proxy';
export * from './lib/webhook-receiver';
export * from './lib/statistics';
export * from './lib/totp';
