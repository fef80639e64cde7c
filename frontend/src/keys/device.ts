/**
 * A short description of this browser for `key.enrol`'s `device`, so that a
 * member can tell their keys apart ("Firefox on Linux"). It goes on the
 * ledger, so it stays coarse: no version numbers.
 */
export function describeDevice(userAgent: string): string {
  const browser =
    /Edg(?:e|A|iOS)?\//.test(userAgent) ? 'Edge'
    : /OPR\/|Opera/.test(userAgent) ? 'Opera'
    : /Firefox\/|FxiOS\//.test(userAgent) ? 'Firefox'
    : /Chrome\/|CriOS\/|Chromium\//.test(userAgent) ? 'Chrome'
    : /Safari\//.test(userAgent) ? 'Safari'
    : 'Browser';
  const os =
    /Android/.test(userAgent) ? 'Android'
    : /iPhone|iPad|iPod/.test(userAgent) ? 'iOS'
    : /Windows/.test(userAgent) ? 'Windows'
    : /Mac OS X|Macintosh/.test(userAgent) ? 'macOS'
    : /CrOS/.test(userAgent) ? 'ChromeOS'
    : /Linux/.test(userAgent) ? 'Linux'
    : null;
  return os ? `${browser} on ${os}` : browser;
}
