import { Module } from '@nestjs/common';

import { RetentionService } from './retention.service';

/** The scheduled purge of data past its retention (docs/operations.md, "Retention"). */
@Module({ providers: [RetentionService] })
export class RetentionModule {}
