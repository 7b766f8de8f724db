import { StaffRole } from '@account-recovery/contracts';

import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

/** A person who can sign in. The address is stored normalised (see `normaliseEmail`). */
@Entity({ name: 'users' })
export class User {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text', unique: true })
  email!: string;

  @Column({ name: 'display_name', type: 'text', nullable: true })
  displayName!: string | null;

  /**
   * The language of the person's emails (LOCALES), null until chosen. Validated by the API,
   * not by a CHECK (migration AddUserLocale): a value no longer shipped reads as no choice.
   */
  @Column({ type: 'text', nullable: true })
  locale!: string | null;

  /** Staff roles (STAFF_ROLES); granted and revoked only by the operator CLI. */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  roles!: StaffRole[];

  /** bcrypt hash; null until the person sets a password through an emailed link. */
  @Column({ name: 'password_hash', type: 'text', nullable: true, select: false })
  passwordHash!: string | null;

  @Column({ name: 'password_changed_at', type: 'timestamptz', nullable: true })
  passwordChangedAt!: Date | null;

  /** Sessions (access tokens) issued before this moment are refused; set by a service. */
  @Column({ name: 'sessions_revoked_at', type: 'timestamptz', nullable: true })
  sessionsRevokedAt!: Date | null;

  /** Consecutive failed sign-ins since the last success or reset (per-account throttling). */
  @Column({ name: 'failed_login_count', type: 'integer', default: 0, select: false })
  failedLoginCount!: number;

  @Column({ name: 'last_failed_login_at', type: 'timestamptz', nullable: true, select: false })
  lastFailedLoginAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
