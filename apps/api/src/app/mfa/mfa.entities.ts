import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryColumn,
  PrimaryGeneratedColumn,
} from 'typeorm';

/**
 * The tables of the second factor (migration CreateSecondFactor). The services read and
 * write them with lean SQL; these entities are the data model's record of them.
 */

/** An authenticator (TOTP). Pending until `confirmedAt`; at most one confirmed per user. */
@Entity({ name: 'mfa_factors' })
@Index('idx_mfa_factors_user', ['userId'])
export class MfaFactor {
  /** Chosen before the insert: the secret's ciphertext is bound to it (MfaKeys). */
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @Column({ type: 'text', default: 'totp' })
  type!: 'totp';

  /** AES-256-GCM under MFA_ENCRYPTION_KEY: `v1.<iv>.<tag>.<ciphertext>`. Never selected by default. */
  @Column({ name: 'secret_ciphertext', type: 'text', select: false })
  secretCiphertext!: string;

  @Column({ name: 'confirmed_at', type: 'timestamptz', nullable: true })
  confirmedAt!: Date | null;

  /** The last 30-second step whose code was accepted: each code counts once. */
  @Column({ name: 'last_used_step', type: 'bigint', default: 0 })
  lastUsedStep!: string;

  @Column({ name: 'failed_attempts', type: 'integer', default: 0 })
  failedAttempts!: number;

  @Column({ name: 'last_failed_at', type: 'timestamptz', nullable: true })
  lastFailedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

/** One of a person's ten recovery codes: only its keyed hash. */
@Entity({ name: 'recovery_codes' })
@Index('idx_recovery_codes_user_hash', ['userId', 'codeHash'])
export class RecoveryCode {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @Column({ name: 'code_hash', type: 'char', length: 64, select: false })
  codeHash!: string;

  @Column({ name: 'used_at', type: 'timestamptz', nullable: true })
  usedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

/** The step between a correct password and the second factor. */
@Entity({ name: 'mfa_challenges' })
export class MfaChallenge {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  /** SHA-256 of the challenge token. */
  @Column({ name: 'token_hash', type: 'char', length: 64, unique: true, select: false })
  tokenHash!: string;

  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ name: 'used_at', type: 'timestamptz', nullable: true })
  usedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
