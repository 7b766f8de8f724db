import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import { MfaModule } from '../mfa/mfa.module';
import { DemoUserSeeder } from './demo-user.seeder';
import { ServiceAuthGuard } from './service-auth.guard';
import { ServiceClient } from './service-client.entity';
import { ServiceClients } from './service-clients.service';
import { User } from './user.entity';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

@Module({
  imports: [TypeOrmModule.forFeature([User, ServiceClient]), MfaModule],
  controllers: [UsersController],
  providers: [UsersService, ServiceClients, ServiceAuthGuard, DemoUserSeeder],
  exports: [UsersService, ServiceClients],
})
export class UsersModule {}
