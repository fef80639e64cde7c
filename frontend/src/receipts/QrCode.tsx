import QRCode from 'qrcode';
import { useEffect, useState } from 'react';

/** A QR code as an SVG image: no canvas needed, and it prints sharp. */
export function QrCode({ text, label, testId }: { text: string; label: string; testId?: string }) {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 })
      .then((svg) => live && setSrc(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`))
      .catch(() => live && setSrc(null));
    return () => {
      live = false;
    };
  }, [text]);
  if (!src) return null;
  return <img className="qr" src={src} alt={label} title={text} data-testid={testId} data-text={text} />;
}
