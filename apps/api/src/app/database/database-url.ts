/**
 * The connection string actually in use: DATABASE_URL, or the embedded server's URL
 * when development runs without one. Resolved once in main.ts, before the app is built.
 */
export const DATABASE_URL = Symbol('DATABASE_URL');
