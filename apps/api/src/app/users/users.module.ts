import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import { DemoUserSeeder } from './demo-user.seeder';
import { ServiceApiKeyGuard } from './service-api-key.guard';
import { User } from './user.entity';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

@Module({
  imports: [TypeOrmModule.forFeature([User])],
  controllers: [UsersController],
  providers: [UsersService, ServiceApiKeyGuard, DemoUserSeeder],
  exports: [UsersService],
})
export class UsersModule {}
