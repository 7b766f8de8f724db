import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { JwtModule } from '@nestjs/jwt';
import { ThrottlerModule } from '@nestjs/throttler';
import { TypeOrmModule } from '@nestjs/typeorm';

import { AppConfig } from '../config/app-config';
import { MailModule } from '../mail/mail.module';
import { User } from '../users/user.entity';
import { AccessTokens } from './access-token.service';
import { AccountEmailWorker } from './account-email.worker';
import { PasswordHasher } from './password-hasher.service';
import { PasswordPolicy } from './password-policy.service';
import { PasswordResetToken } from './password-reset-token.entity';
import { PasswordResetController } from './password-reset.controller';
import { PasswordResetService } from './password-reset.service';
import { limitFor, RATE_LIMIT_WINDOW_MS } from './rate-limit';
import { RateLimitStorage, RateLimitStorageModule } from './rate-limit-storage';
import { ResetTokenIssuer } from './reset-token-issuer.service';
import { SessionController } from './session.controller';
import { SessionService } from './session.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([User, PasswordResetToken]),
    MailModule,
    // Per client IP and route; the IP honours X-Forwarded-For only with TRUST_PROXY.
    ThrottlerModule.forRootAsync({
      imports: [RateLimitStorageModule],
      inject: [ConfigService, RateLimitStorage],
      useFactory: (config: ConfigService<AppConfig, true>, storage: RateLimitStorage) => ({
        storage,
        throttlers: [
          {
            name: 'default',
            ttl: RATE_LIMIT_WINDOW_MS,
            limit: limitFor(config.get('rateLimits', { infer: true })),
          },
        ],
      }),
    }),
    JwtModule.registerAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<AppConfig, true>) => ({
        secret: config.get('auth.jwtSecret', { infer: true }),
        signOptions: { algorithm: 'HS256' },
      }),
    }),
  ],
  controllers: [PasswordResetController, SessionController],
  providers: [
    PasswordResetService,
    ResetTokenIssuer,
    PasswordHasher,
    PasswordPolicy,
    AccessTokens,
    SessionService,
    AccountEmailWorker,
  ],
  exports: [ResetTokenIssuer],
})
export class AuthModule {}
