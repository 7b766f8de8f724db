/**
 * better-auth's own password hashing (scrypt, its defaults), for the bench to time in its
 * process next to the peer's reset-password: the work a reset must do.
 */
export { hashPassword } from 'better-auth/crypto';
