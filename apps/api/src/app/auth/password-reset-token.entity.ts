import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';

import { User } from '../users/user.entity';

export type TokenPurpose = 'reset' | 'invite';

/**
 * One emailed link. Only the SHA-256 of the raw token is stored, so a copy of the
 * database cannot be turned into working links. Lifecycle: issued → used | expired | revoked.
 */
@Entity({ name: 'password_reset_tokens' })
@Index('idx_password_reset_tokens_user_created', ['userId', 'createdAt'])
export class PasswordResetToken {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  /** Hex SHA-256 of the raw token. */
  @Column({ name: 'token_hash', type: 'char', length: 64, unique: true })
  tokenHash!: string;

  @Column({ type: 'text' })
  purpose!: TokenPurpose;

  /** When the link was asked for (not when a delivery attempt issued it). */
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ name: 'used_at', type: 'timestamptz', nullable: true })
  usedAt!: Date | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  /** A reset in progress holds the link until then (hashing its password); see `reset`. */
  @Column({ name: 'claimed_until', type: 'timestamptz', nullable: true })
  claimedUntil!: Date | null;

  @Column({ name: 'requested_ip', type: 'inet', nullable: true })
  requestedIp!: string | null;

  @Column({ name: 'user_agent', type: 'text', nullable: true })
  userAgent!: string | null;

  /** Keyed HMAC of the emailed 8-digit code; null once it is spent (MfaKeys). */
  @Column({ name: 'code_hash', type: 'char', length: 64, nullable: true, select: false })
  codeHash!: string | null;

  /** Wrong codes typed for it; five, and the code is dead (its link is not). */
  @Column({ name: 'code_attempts', type: 'integer', default: 0 })
  codeAttempts!: number;

  /** Wrong second-factor codes shown with the link; five revoke it. */
  @Column({ name: 'mfa_attempts', type: 'integer', default: 0 })
  mfaAttempts!: number;

  /** The delivery job that issued it; a retry of that job is not a new request. */
  @Column({ name: 'delivery_job_id', type: 'uuid', nullable: true })
  deliveryJobId!: string | null;
}
