import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { JwtModule } from '@nestjs/jwt';
import { TypeOrmModule } from '@nestjs/typeorm';

import { AppConfig } from '../config/app-config';
import { MailModule } from '../mail/mail.module';
import { MfaController } from '../mfa/mfa.controller';
import { MfaModule } from '../mfa/mfa.module';
import { User } from '../users/user.entity';
import { AccessTokens } from './access-token.service';
import { AccountEmailWorker } from './account-email.worker';
import { BreachedPasswords } from './breached-passwords';
import { PasswordHasher } from './password-hasher.service';
import { PasswordHistory } from './password-history';
import { PasswordHistoryEntry } from './password-history.entity';
import { PasswordPolicy } from './password-policy.service';
import { PasswordResetToken } from './password-reset-token.entity';
import { PasswordResetController } from './password-reset.controller';
import { PasswordResetService } from './password-reset.service';
import { RateLimitCounters } from './rate-limit-counters';
import { RateLimitGuard } from './rate-limit.guard';
import { ResetCodes } from './reset-code.service';
import { ResetTokenIssuer } from './reset-token-issuer.service';
import { SessionController } from './session.controller';
import { SessionService } from './session.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([User, PasswordResetToken, PasswordHistoryEntry]),
    MailModule,
    MfaModule,
    JwtModule.registerAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<AppConfig, true>) => ({
        secret: config.get('auth.jwtSecret', { infer: true }),
        signOptions: { algorithm: 'HS256' },
      }),
    }),
  ],
  controllers: [PasswordResetController, SessionController, MfaController],
  providers: [
    PasswordResetService,
    ResetTokenIssuer,
    ResetCodes,
    PasswordHasher,
    PasswordPolicy,
    PasswordHistory,
    BreachedPasswords,
    AccessTokens,
    SessionService,
    AccountEmailWorker,
    RateLimitCounters,
    RateLimitGuard,
  ],
  exports: [ResetTokenIssuer, SessionService],
})
export class AuthModule {}
