import { SendEmailCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import { renderTemplate } from '../../notifications/render-template.js';
import type { Clock } from '../../ports/clock.js';
import type { Notification, Notifier } from '../../ports/notifier.js';

/** Business time of sending (the clock port), for readers that care more than the MTA's Date. */
export const SENT_AT_HEADER = 'X-Policy-QC-Sent-At';
/** The mail's deterministic id (the fact it comes from): a resend after a crash carries the same one. */
export const MAIL_ID_HEADER = 'X-Policy-QC-Mail-Id';

export class SesNotifier implements Notifier {
  constructor(
    private readonly ses: SESv2Client,
    private readonly clock: Clock,
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
          Headers: [
            { Name: SENT_AT_HEADER, Value: this.clock.now().toISOString() },
            { Name: MAIL_ID_HEADER, Value: notification.id },
          ],
        },
      },
      ...(this.configurationSet ? { ConfigurationSetName: this.configurationSet } : {}),
    }));
  }
}
