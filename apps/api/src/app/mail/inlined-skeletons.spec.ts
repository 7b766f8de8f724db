import { inline } from '@css-inline/css-inline';
import Handlebars from 'handlebars';

import { InlinedSkeletons } from './inlined-skeletons';

const SOURCE = `<!DOCTYPE html><html><head><title>{{productName}}</title>
<style>.text { color: #374151; } a { color: #1d4ed8; } @media (max-width: 620px) { .text { font-size: 14px !important; } }</style>
</head><body><p class="text">Hello{{#if recipientName}} {{recipientName}}{{/if}},</p>
<p class="text">Valid for {{expiresInMinutes}} minutes.</p>
<a href="{{link}}" title="{{productName}}">{{link}}</a>
{{#if requestIp}}<p class="text">From {{requestIp}}</p>{{/if}}</body></html>`;

describe('InlinedSkeletons', () => {
  const template = Handlebars.create().compile(SOURCE, { strict: true });
  const render = (_name: string, context: Record<string, unknown>) => template(context);
  const inlineCss = (html: string) => inline(html, { keepAtRules: true });
  /** The reference: the document rendered and inlined for this very email. */
  const direct = (context: Record<string, unknown>) => inlineCss(render('t', context));

  const contexts: Record<string, unknown>[] = [
    {
      productName: 'Contoso',
      recipientName: "Ada O'Neil",
      expiresInMinutes: 15,
      link: 'https://portal.example/reset-password/abc?x=1&y=2',
      requestIp: '203.0.113.7',
    },
    {
      productName: 'Tom & Jerry "Accounts"',
      recipientName: null,
      expiresInMinutes: 0,
      link: 'https://portal.example/reset-password/<script>alert(1)</script>',
      requestIp: null,
    },
    {
      productName: 'Contoso',
      recipientName: 'Mallory \uE0000\uE001 <b>bold</b> \u00a0 `=`',
      expiresInMinutes: 4320,
      link: "https://portal.example/r/'quoted'",
      requestIp: '',
    },
    {
      productName: 'Line\r\nbreaks\rand\0nul',
      recipientName: 'x',
      expiresInMinutes: 1,
      link: 'https://p/\r\n',
      requestIp: '::1',
    },
  ];

  it('should send exactly the HTML that inlining each email would give', () => {
    const skeletons = new InlinedSkeletons(render, inlineCss);
    for (const context of contexts) {
      expect(skeletons.html('t', context)).toBe(direct(context));
      // Served from the cached skeleton the second time, still the same.
      expect(skeletons.html('t', context)).toBe(direct(context));
    }
  });

  it('should inline once per shape of email, not once per email', () => {
    let inlined = 0;
    const skeletons = new InlinedSkeletons(render, (html) => {
      inlined += 1;
      return inlineCss(html);
    });
    for (let i = 0; i < 50; i++) {
      skeletons.html('t', { ...contexts[0], recipientName: `Person ${i}`, link: `https://p/${i}` });
    }
    expect(inlined).toBe(1);
    skeletons.html('t', { ...contexts[0], recipientName: null });
    expect(inlined).toBe(2);
  });
});
