import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import { AuthModule } from '../auth/auth.module';
import { MfaModule } from '../mfa/mfa.module';
import { DemoUserSeeder } from './demo-user.seeder';
import { ServiceAuthGuard } from './service-auth.guard';
import { ServiceClient } from './service-client.entity';
import { ServiceClients } from './service-clients.service';
import { StaffSessions } from './staff-sessions';
import { UserDirectory } from './user-directory.service';
import { User } from './user.entity';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

/**
 * The service API and its callers. ServiceClients and StaffSessions are exported so that
 * other modules' routes can use ServiceAuthGuard (a guard is built in the module of the
 * controller it guards, from what that module can see).
 */
@Module({
  imports: [TypeOrmModule.forFeature([User, ServiceClient]), MfaModule, AuthModule],
  controllers: [UsersController],
  providers: [
    UsersService,
    UserDirectory,
    ServiceClients,
    StaffSessions,
    ServiceAuthGuard,
    DemoUserSeeder,
  ],
  exports: [UsersService, ServiceClients, StaffSessions],
})
export class UsersModule {}
