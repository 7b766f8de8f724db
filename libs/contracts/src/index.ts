export * from './lib/api-paths';
export * from './lib/api-types';
export * from './lib/email';
export * from './lib/error-codes';
export * from './lib/password-policy';
export * from './lib/routes';
export * from './lib/security-events';
export * from './lib/token';
