/**
 * The bench's SMTP sink: libs/testing's MailCatcher without parsing (only envelope, arrival
 * time and the raw message are kept; a reset link is parsed out on demand), shared by both
 * systems.
 */
import { sleep } from './harness.mjs';
import { testing } from './testing.mjs';

export async function startSink() {
  const catcher = new testing.MailCatcher({ parse: false });
  await catcher.start(0);
  return catcher;
}

/** Waits until no mail has arrived for `quietMs` (at most `timeoutMs`): a peer's sends done. */
export async function settle(sink, quietMs = 500, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  let count = sink.received.length;
  let since = Date.now();
  while (Date.now() < deadline) {
    await sleep(100);
    if (sink.received.length !== count) {
      count = sink.received.length;
      since = Date.now();
    } else if (Date.now() - since >= quietMs) return;
  }
}

/** The reset token in the last mail to `address` (either system's link), or null. */
export async function tokenFor(sink, address) {
  const mails = sink.mailsTo(address);
  if (mails.length === 0) return null;
  const mail = await sink.parsed(mails[mails.length - 1]);
  return /\/reset-password\/([A-Za-z0-9_-]+)/.exec(mail.text)?.[1] ?? null;
}
