import { ForceResetRequest } from '@account-recovery/contracts';

import { ApiPropertyOptional } from '@nestjs/swagger';

import { IsBoolean, IsOptional } from '../../common/validation/validators';

export class ForceResetDto implements ForceResetRequest {
  @ApiPropertyOptional({ description: "End the user's current sessions at once", default: false })
  @IsOptional()
  @IsBoolean()
  revokeSessions?: boolean;
}
