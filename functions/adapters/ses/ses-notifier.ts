import { SendEmailCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import { renderTemplate } from '../../notifications/render-template.js';
import type { Notification, Notifier } from '../../ports/notifier.js';

export class SesNotifier implements Notifier {
  constructor(
    private readonly ses: SESv2Client,
    private readonly from: string,
    private readonly configurationSet?: string,
  ) {}

  async send(notification: Notification): Promise<void> {
    const email = renderTemplate(notification.template, notification.data);
    await this.ses.send(new SendEmailCommand({
      FromEmailAddress: this.from,
      Destination: { ToAddresses: [...notification.to] },
      Content: {
        Simple: {
          Subject: { Data: email.subject, Charset: 'UTF-8' },
          Body: { Text: { Data: email.text, Charset: 'UTF-8' } },
        },
      },
      ...(this.configurationSet ? { ConfigurationSetName: this.configurationSet } : {}),
    }));
  }
}
