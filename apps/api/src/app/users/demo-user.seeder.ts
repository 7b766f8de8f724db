import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';

import { AppConfig } from '../config/app-config';
import { UsersService } from './users.service';

export const DEMO_USER_EMAIL = 'demo@example.com';

/** Development only: a user to try the flow with. It has no password until it is reset. */
@Injectable()
export class DemoUserSeeder implements OnApplicationBootstrap {
  constructor(
    private readonly users: UsersService,
    @Inject(ConfigService) private readonly config: ConfigService<AppConfig, true>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.get('seedDemoUser', { infer: true })) return;
    await this.users.ensureExists(DEMO_USER_EMAIL, 'Demo User');
    new Logger(DemoUserSeeder.name).log(
      `Demo user ${DEMO_USER_EMAIL} is ready (request a reset link to set its password)`,
    );
  }
}
