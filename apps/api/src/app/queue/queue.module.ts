import { Global, Module } from '@nestjs/common';

import { ForegroundLoad } from './foreground-load';
import { JobQueue } from './job-queue.service';

@Global()
@Module({
  providers: [JobQueue, ForegroundLoad],
  exports: [JobQueue, ForegroundLoad],
})
export class QueueModule {}
