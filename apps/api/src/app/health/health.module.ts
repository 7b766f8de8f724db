import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';

import { HealthController } from './health.controller';
import { QueueHealthIndicator } from './queue-health';
import { SchemaHealthIndicator } from './schema-health';

@Module({
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [HealthController],
  providers: [QueueHealthIndicator, SchemaHealthIndicator],
})
export class HealthModule {}
