import { MailerModule } from '@nestjs-modules/mailer';
import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';

import { AppConfig } from '../config/app-config';
import { MailComposer } from './mail-composer';
import { MAIL_COMPOSER, MAIL_HTML, MailSender } from './mail-sender.service';
import { resolveMailTemplatesDir } from './mail-templates-dir';
import { smtpTransportFromUrl } from './mail-transport';
import { buildMailerOptions, htmlMailAdapter } from './mailer-options';

@Module({
  imports: [
    MailerModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<AppConfig, true>) => {
        const mail = config.get('mail', { infer: true });
        return buildMailerOptions({
          templatesDir: resolveMailTemplatesDir(),
          transport: smtpTransportFromUrl(mail.smtpUrl, mail.workerConcurrency),
          from: mail.from,
        });
      },
    }),
  ],
  providers: [
    { provide: MAIL_COMPOSER, useFactory: () => new MailComposer(resolveMailTemplatesDir()) },
    { provide: MAIL_HTML, useFactory: () => htmlMailAdapter(resolveMailTemplatesDir()) },
    MailSender,
  ],
  exports: [MailSender],
})
export class MailModule {}
