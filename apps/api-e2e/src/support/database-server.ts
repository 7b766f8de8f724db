// Moved to libs/testing (shared with the portal's browser suite).
export * from '@account-recovery/testing';
