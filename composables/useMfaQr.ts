import QRCode from 'qrcode'

/** The enrolment QR code as an image URL: an SVG drawn in the browser by the qrcode library, so the secret never leaves the page. */
export async function mfaQrSrc(uri: string): Promise<string> {
  const svg = await QRCode.toString(uri, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' })
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`
}
