import { ServiceScope } from '@account-recovery/contracts';

import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** Another service of the enterprise that calls the users API with its own key. */
@Entity({ name: 'service_clients' })
export class ServiceClient {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text', unique: true })
  name!: string;

  /** Hex SHA-256 of the key; the key itself is shown once, at creation. */
  @Column({ name: 'key_hash', type: 'char', length: 64, unique: true, select: false })
  keyHash!: string;

  @Column({ type: 'text', array: true })
  scopes!: ServiceScope[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true })
  lastUsedAt!: Date | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;
}
