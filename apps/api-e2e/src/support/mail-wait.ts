import { MailCatcher, ReceivedMail } from '@account-recovery/testing';

/** Waits until at least `count` mails to `address` (matching `predicate`) have arrived. */
export async function waitForMailCount(
  mail: MailCatcher,
  address: string,
  count: number,
  options: { predicate?: (mail: ReceivedMail) => boolean; timeoutMs?: number } = {},
): Promise<ReceivedMail[]> {
  const { predicate = () => true, timeoutMs = 15_000 } = options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const mails = mail.mailsTo(address).filter(predicate);
    if (mails.length >= count) return mails;
    if (Date.now() > deadline) {
      throw new Error(
        `${count} mail(s) to ${address} expected within ${timeoutMs} ms, got ${mails.length}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export const isResetMail = (mail: ReceivedMail): boolean => mail.subject.startsWith('Reset your');
export const isInvitation = (mail: ReceivedMail): boolean =>
  mail.subject.includes('set your password');
