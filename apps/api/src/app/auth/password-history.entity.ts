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

/**
 * A password the account had before its current one (only its hash, as stored then). Kept
 * for PASSWORD_HISTORY − 1 passwords per account; see auth/password-history.ts.
 */
@Entity({ name: 'password_history' })
@Index('idx_password_history_user_created', ['userId', 'createdAt'])
export class PasswordHistoryEntry {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  /** As users.password_hash was (peppered bcrypt, or a legacy scheme); never selected by default. */
  @Column({ name: 'password_hash', type: 'text', select: false })
  passwordHash!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
