/**
 * The QR code of an `otpauth://` URI as an SVG data URL, drawn here: the secret never goes
 * to a third-party service, and `qrcode` loads only with the page that needs it (a dynamic
 * import), never with the sign-in page. The portal's CSP allows `img-src data:`.
 */
export async function qrCodeImage(text: string): Promise<string> {
  const loaded = await import('qrcode');
  // A CommonJS package: in the browser bundle its functions are on `default` only (the named
  // exports miss toString); loaded by Node, in the unit tests, they are on the module itself.
  const qrcode = (loaded.default as typeof loaded.default | undefined) ?? loaded;
  const svg = await qrcode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}
