/** Raw reset tokens are 32 random bytes in base64url: 43 characters, no padding. */
export const RESET_TOKEN_BYTES = 32;
export const RESET_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
/** Bounds the validator enforces before any lookup, so junk never reaches the database. */
export const RESET_TOKEN_MAX_LENGTH = 128;
