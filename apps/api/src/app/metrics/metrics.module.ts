import { Global, Module } from '@nestjs/common';

import { MetricsController } from './metrics.controller';
import { Metrics } from './metrics.service';
import { StateGauges } from './state-gauges';

@Global()
@Module({
  controllers: [MetricsController],
  providers: [Metrics, StateGauges],
  exports: [Metrics],
})
export class MetricsModule {}
